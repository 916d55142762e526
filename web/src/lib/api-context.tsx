import { useAuth0 } from "@auth0/auth0-react";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { config } from "../config.ts";
import { createApiClient, type ApiClient } from "./api-client.ts";

const ApiContext = createContext<ApiClient | null>(null);

/** Builds the API client from whatever Auth0 context is above it (the real provider or a test one). */
export function ApiProvider({ children }: { children: ReactNode }) {
  const { getAccessTokenSilently } = useAuth0();
  const client = useMemo(
    () =>
      createApiClient(async () => {
        const token = await getAccessTokenSilently({
          authorizationParams: { audience: config.auth0Audience },
        });
        if (typeof token !== "string" || token === "")
          throw new Error("No access token");
        return token;
      }),
    [getAccessTokenSilently],
  );
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApiClient(): ApiClient {
  const client = useContext(ApiContext);
  if (client === null)
    throw new Error("useApiClient needs an <ApiProvider> above it");
  return client;
}
