import { lazy } from "react";
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { AuthGate } from "./auth-gate.tsx";
import { AuthRoot } from "./auth-root.tsx";
import { RouteError } from "./error-boundary.tsx";

// Each page is its own chunk; the landing page and layout are all the first load needs.
const Home = lazy(() =>
  import("./layout.tsx").then((m) => ({ default: m.Home })),
);
const MembersPage = lazy(() =>
  import("../features/members/members-page.tsx").then((m) => ({
    default: m.MembersPage,
  })),
);
const ImportPage = lazy(() =>
  import("../features/import/import-page.tsx").then((m) => ({
    default: m.ImportPage,
  })),
);
const ImportProgressPage = lazy(() =>
  import("../features/import/import-progress-page.tsx").then((m) => ({
    default: m.ImportProgressPage,
  })),
);
const SupportPage = lazy(() =>
  import("../features/support/support-page.tsx").then((m) => ({
    default: m.SupportPage,
  })),
);

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
