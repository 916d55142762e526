import {
  Auth0Context,
  type Auth0ContextInterface,
  type RedirectLoginOptions,
} from "@auth0/auth0-react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, test } from "vitest";
import { signedInAuth0 } from "../test/render.tsx";
import { AuthGate } from "./auth-gate.tsx";
import { AppProviders } from "./providers.tsx";

function renderGate(auth0: Auth0ContextInterface, path: string) {
  const router = createMemoryRouter([{ path: "*", element: <AuthGate /> }], {
    initialEntries: [path],
  });
  render(
    <AppProviders>
      <Auth0Context.Provider value={auth0}>
        <RouterProvider router={router} />
      </Auth0Context.Provider>
    </AppProviders>,
  );
}

describe("signed-out visitors", () => {
  test("see the landing page, and signing in returns them to the page they opened", async () => {
    const calls: (RedirectLoginOptions | undefined)[] = [];
    const loginWithRedirect = ((options?: RedirectLoginOptions) => {
      calls.push(options);
      return Promise.resolve();
    }) as Auth0ContextInterface["loginWithRedirect"];
    renderGate(
      signedInAuth0({
        isAuthenticated: false,
        user: undefined,
        loginWithRedirect,
      }),
      "/import/abc?x=1",
    );
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(
      /Invite your whole company/,
    );
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(calls).toEqual([{ appState: { returnTo: "/import/abc?x=1" } }]);
  });

  test("see why sign-in failed", () => {
    renderGate(
      signedInAuth0({
        isAuthenticated: false,
        error: new Error("Wrong email or password"),
      }),
      "/",
    );
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Wrong email or password",
    );
  });

  test("wait while the session is being checked", () => {
    renderGate(signedInAuth0({ isAuthenticated: false, isLoading: true }), "/");
    expect(
      screen.getByRole("status", { name: "Checking your session" }),
    ).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
  });
});
