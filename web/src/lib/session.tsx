// Who is signed in, from GET /api/me (the BFF's reading of the verified token). Features read it
// with useSession(); the app layout loads it once and provides it.
import { Me, type Permission } from "@app/bff/contract";
import { queryOptions } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import type { ApiClient } from "./api-client.ts";

export const sessionQueries = {
  all: ["session"] as const,
  me: (api: ApiClient) =>
    queryOptions({
      queryKey: [...sessionQueries.all, "me"],
      queryFn: ({ signal }) => api.request("GET", "/api/me", Me, { signal }),
    }),
};

export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (me === null)
    throw new Error("useSession needs the signed-in layout above it");
  return me;
}

export function can(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}
