import { useAuth0 } from "@auth0/auth0-react";
import { lazy, Suspense } from "react";
import { useLocation } from "react-router";
import { PageLoader } from "../components/page-loader.tsx";
import { LandingPage } from "../features/landing/landing-page.tsx";

const SignedIn = lazy(() =>
  import("./layout.tsx").then((m) => ({ default: m.SignedIn })),
);

/** Signed-out visitors get the landing page at any path; after sign-in they return to it. */
export function AuthGate() {
  const { isLoading, isAuthenticated } = useAuth0();
  const location = useLocation();
  if (isLoading) return <PageLoader label="Checking your session" />;
  if (!isAuthenticated)
    return <LandingPage returnTo={location.pathname + location.search} />;
  return (
    <Suspense fallback={<PageLoader label="Loading your account" />}>
      <SignedIn />
    </Suspense>
  );
}
