// Auth0 sits inside the router so the post-login redirect can use client-side navigation.
import { Auth0Provider, type AppState } from "@auth0/auth0-react";
import { Outlet, useNavigate } from "react-router";
import { config } from "../config.ts";

export function AuthRoot() {
  const navigate = useNavigate();
  const onRedirectCallback = (appState?: AppState) => {
    const returnTo =
      typeof appState?.returnTo === "string" &&
      appState.returnTo.startsWith("/")
        ? appState.returnTo
        : "/";
    void navigate(returnTo, { replace: true });
  };
  return (
    <Auth0Provider
      domain={config.auth0Domain}
      clientId={config.auth0ClientId}
      authorizationParams={{
        audience: config.auth0Audience,
        redirect_uri: window.location.origin,
      }}
      // See docs/decisions: rotating refresh tokens kept in localStorage so a reload keeps the
      // session without third-party cookies (which silent auth in an iframe needs).
      useRefreshTokens
      cacheLocation="localstorage"
      onRedirectCallback={onRedirectCallback}
    >
      <Outlet />
    </Auth0Provider>
  );
}
