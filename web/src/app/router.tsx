import { lazy, Suspense } from "react";
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { PageLoader } from "../components/page-loader.tsx";
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
const LoginRoute = lazy(() =>
  import("../features/login/login-route.tsx").then((m) => ({
    default: m.LoginRoute,
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
      // The app's login route (initiate_login_uri): Auth0's pages send invitees here.
      {
        path: "/login",
        element: (
          <Suspense fallback={<PageLoader label="Taking you to sign in" />}>
            <LoginRoute />
          </Suspense>
        ),
      },
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
