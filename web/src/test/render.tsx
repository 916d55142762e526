// Renders a page the way the app does: Mantine, react-query, a real Auth0Context value (no mocks of
// our modules or of @auth0/auth0-react), the API client and a signed-in session.
import {
  Auth0Context,
  initialContext,
  type Auth0ContextInterface,
} from "@auth0/auth0-react";
import type { Me } from "@app/bff/contract";
import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { AppProviders } from "../app/providers.tsx";
import { ApiProvider } from "../lib/api-context.tsx";
import { SessionContext } from "../lib/session.tsx";
import { makeMe } from "./factories.ts";

export const TEST_TOKEN = "test-access-token";

export function signedInAuth0(
  overrides: Partial<Auth0ContextInterface> = {},
): Auth0ContextInterface {
  const getAccessTokenSilently = (() =>
    Promise.resolve(
      TEST_TOKEN,
    )) as Auth0ContextInterface["getAccessTokenSilently"];
  return {
    ...initialContext,
    isAuthenticated: true,
    isLoading: false,
    user: { sub: "auth0|admin", email: "admin@acme.test" },
    getAccessTokenSilently,
    ...overrides,
  };
}

type Options = {
  route?: string;
  path?: string;
  me?: Me;
  auth0?: Auth0ContextInterface;
};

export function renderWithProviders(ui: ReactElement, options: Options = {}) {
  const {
    route = "/",
    path = "/",
    me = makeMe(),
    auth0 = signedInAuth0(),
  } = options;
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(
    [
      {
        path,
        element: (
          <SessionContext.Provider value={me}>{ui}</SessionContext.Provider>
        ),
      },
      { path: "*", element: <p>Navigated away</p> },
    ],
    { initialEntries: [route] },
  );
  const result = render(
    <AppProviders queryClient={queryClient}>
      <Auth0Context.Provider value={auth0}>
        <ApiProvider>
          <RouterProvider router={router} />
        </ApiProvider>
      </Auth0Context.Provider>
    </AppProviders>,
  );
  return { ...result, router, queryClient };
}
