// /login: the application's login route (Auth0's `initiate_login_uri` for this client). Auth0's New
// Universal Login pages link here ("Back to <app>") after an invitee sets a password, so it starts
// the sign-in at once instead of showing the landing page. Signed-in visitors go straight to "/".
import { useAuth0 } from "@auth0/auth0-react";
import { Alert, Button, Container, Stack } from "@mantine/core";
import { useEffect, useRef } from "react";
import { Navigate, useSearchParams } from "react-router";
import { PageLoader } from "../../components/page-loader.tsx";

export function LoginRoute() {
  const { isLoading, isAuthenticated, loginWithRedirect, error } = useAuth0();
  const [params] = useSearchParams();
  const started = useRef(false);
  const loginHint = params.get("login_hint");
  const start = () =>
    void loginWithRedirect({
      appState: { returnTo: "/" },
      ...(loginHint ? { authorizationParams: { login_hint: loginHint } } : {}),
    });
  useEffect(() => {
    if (isLoading || isAuthenticated || error || started.current) return;
    started.current = true; // once, also under StrictMode's double effects
    start();
  });
  if (isAuthenticated) return <Navigate to="/" replace />;
  if (error)
    return (
      <Container size="sm" py={48}>
        <Stack align="flex-start">
          <Alert color="red" title="Sign-in did not start" role="alert">
            {error.message}
          </Alert>
          <Button onClick={start}>Sign in</Button>
        </Stack>
      </Container>
    );
  return <PageLoader label="Taking you to sign in" />;
}
