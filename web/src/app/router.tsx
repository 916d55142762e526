import { lazy } from "react";
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { useSession, can } from "../lib/session.tsx";
import { AuthRoot } from "./auth-root.tsx";
import { RouteError } from "./error-boundary.tsx";
import { AuthGate } from "./layout.tsx";

// Each page is its own chunk; the landing page and layout are all the first load needs.
const MembersPage = lazy(() => import("../features/members/members-page.tsx").then((m) => ({ default: m.MembersPage })));
const ImportPage = lazy(() => import("../features/import/import-page.tsx").then((m) => ({ default: m.ImportPage })));
const ImportProgressPage = lazy(() =>
  import("../features/import/import-progress-page.tsx").then((m) => ({ default: m.ImportProgressPage })),
);
const SupportPage = lazy(() => import("../features/support/support-page.tsx").then((m) => ({ default: m.SupportPage })));

function Home() {
  const me = useSession();
  const target = me.tenant === null && can(me, "read:all_tenants") ? "/support" : "/members";
  return <Navigate to={target} replace />;
}

function NotFound() {
  return <Navigate to="/" replace />;
}

export const routes: RouteObject[] = [
  {
    element: <AuthRoot />,
    errorElement: <RouteError />,
    children: [
      {
        path: "/",
        element: <AuthGate />,
        children: [
          { index: true, element: <Home /> },
          { path: "members", element: <MembersPage /> },
          { path: "import", element: <ImportPage /> },
          { path: "import/:importId", element: <ImportProgressPage /> },
          { path: "support", element: <SupportPage /> },
          { path: "*", element: <NotFound /> },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
