// One mutation hook for every feature: runs a request with the signed-in API client and, settled
// either way, invalidates the data it may have changed (a query-key root of query-keys.ts).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "./api-client.ts";
import { useApiClient } from "./api-context.tsx";

export function useApiMutation<TInput, TResult>(
  invalidates: readonly unknown[],
  run: (api: ApiClient, input: TInput) => Promise<TResult>,
) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TInput) => run(api, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invalidates }),
  });
}
