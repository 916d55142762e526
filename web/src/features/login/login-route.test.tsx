// /login is the app's initiate_login_uri: Auth0's New Universal Login pages send invitees here after
// they set a password ("Back to ExampleCo Analytics"), so it must start the sign-in by itself.
import {
  Auth0Context,
  type Auth0ContextInterface,
  type RedirectLoginOptions,
} from "@auth0/auth0-react";
import { render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { expect, test } from "vitest";
import { AppProviders } from "../../app/providers.tsx";
import { signedInAuth0 } from "../../test/render.tsx";
import { LoginRoute } from "./login-route.tsx";

function renderLogin(auth0: Auth0ContextInterface, path = "/login") {
  const router = createMemoryRouter(
    [
      { path: "/login", element: <LoginRoute /> },
      { path: "/", element: <p>Home</p> },
    ],
    { initialEntries: [path] },
  );
  render(
    <StrictMode>
      <AppProviders>
        <Auth0Context.Provider value={auth0}>
          <RouterProvider router={router} />
        </Auth0Context.Provider>
      </AppProviders>
    </StrictMode>,
  );
}

function recorder() {
  const calls: (RedirectLoginOptions | undefined)[] = [];
  const loginWithRedirect = ((options?: RedirectLoginOptions) => {
    calls.push(options);
    return Promise.resolve();
  }) as Auth0ContextInterface["loginWithRedirect"];
  return { calls, loginWithRedirect };
}

test("a signed-out visitor is sent to sign in at once, once, and comes back to /", async () => {
  const { calls, loginWithRedirect } = recorder();
  renderLogin(
    signedInAuth0({
      isAuthenticated: false,
      user: undefined,
      loginWithRedirect,
    }),
    "/login?login_hint=ada%40acme.test",
  );
  await waitFor(() => expect(calls).toHaveLength(1));
  expect(calls[0]).toEqual({
    appState: { returnTo: "/" },
    authorizationParams: { login_hint: "ada@acme.test" },
  });
  expect(screen.queryByText(/Invite your whole company/)).toBeNull();
});

test("a signed-in visitor goes to the app", async () => {
  const { calls, loginWithRedirect } = recorder();
  renderLogin(signedInAuth0({ loginWithRedirect }));
  expect(await screen.findByText("Home")).toBeInTheDocument();
  expect(calls).toEqual([]);
});
