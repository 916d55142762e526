import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-error.ts";

/** Codes worth retrying: the request might succeed a moment later. */
const TRANSIENT = new Set([
  "upstream",
  "rate_limited",
  "internal",
  "database_unavailable",
]);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) =>
          failureCount < 2 && (!isApiError(error) || TRANSIENT.has(error.code)),
      },
      mutations: { retry: false },
    },
  });
}
