// Server state for imports: the dry-run preview, creating an import, its live progress and rows.
import {
  ImportCreated,
  ImportProgress,
  ImportRowsPage,
  PreviewResult,
  type PersonRow,
} from "@app/bff/contract";
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import type { ApiClient } from "../../lib/api-client.ts";
import { useApiClient } from "../../lib/api-context.tsx";
import { queryKeys } from "../../lib/query-keys.ts";

const base = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}`;
const POLL_MS = 1_000;

export const importQueries = {
  all: (tenantId: string) => ["import", tenantId] as const,
  /** Keyed by the upload id: a new file (or new mapping) is a new preview. */
  preview: (
    api: ApiClient,
    tenantId: string,
    uploadId: string,
    /** the rows as PreviewColumns, serialised (by the CSV worker: ValidatedFile.previewBody) */
    body: Promise<Blob | string>,
  ) =>
    queryOptions({
      queryKey: [...importQueries.all(tenantId), "preview", uploadId],
      queryFn: async ({ signal }) =>
        api.request(
          "POST",
          `${base(tenantId)}/invitations/preview`,
          PreviewResult,
          { json: await body, signal },
        ),
      staleTime: Infinity,
      retry: false,
    }),
  progress: (api: ApiClient, tenantId: string, importId: string) =>
    queryOptions({
      queryKey: [...importQueries.all(tenantId), "progress", importId],
      queryFn: ({ signal }) =>
        api.request(
          "GET",
          `${base(tenantId)}/imports/${encodeURIComponent(importId)}`,
          ImportProgress,
          { signal },
        ),
      // Poll until the pipeline reports done; a reload simply resumes polling.
      refetchInterval: (query) =>
        query.state.data?.done === true ? false : POLL_MS,
      staleTime: 0,
    }),
  rows: (
    api: ApiClient,
    tenantId: string,
    importId: string,
    failedOnly: boolean,
  ) =>
    infiniteQueryOptions({
      queryKey: [
        ...importQueries.all(tenantId),
        "rows",
        importId,
        { failedOnly },
      ],
      initialPageParam: null as number | null,
      getNextPageParam: (page: ImportRowsPage) => page.nextCursor,
      queryFn: ({ pageParam, signal }) => {
        const params = new URLSearchParams({ limit: "200" });
        if (failedOnly) params.set("failedOnly", "true");
        if (pageParam !== null) params.set("cursor", String(pageParam));
        return api.request(
          "GET",
          `${base(tenantId)}/imports/${encodeURIComponent(importId)}/rows?${params.toString()}`,
          ImportRowsPage,
          {
            signal,
          },
        );
      },
    }),
};

export function errorReportPath(tenantId: string, importId: string): string {
  return `${base(tenantId)}/imports/${encodeURIComponent(importId)}/rows?format=csv&failedOnly=true&limit=1000`;
}

/**
 * Starts the import. The key is made once per upload, so a double click or a retry is one import.
 * The new invitations (and the seats they take) exist as soon as the BFF answers: the members list,
 * the seat meter and support's tenant table are refetched at once, not when they go stale.
 */
export function useCreateImport(tenantId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      rows,
      sourceRows,
      idempotencyKey,
    }: {
      rows: PersonRow[];
      /** each row's line number in the file, as the preview shows it */
      sourceRows?: number[];
      idempotencyKey: string;
    }) =>
      api.request("POST", `${base(tenantId)}/imports`, ImportCreated, {
        body: sourceRows ? { rows, sourceRows } : { rows },
        headers: { "idempotency-key": idempotencyKey },
      }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: queryKeys.members(tenantId),
        }),
        queryClient.invalidateQueries({ queryKey: queryKeys.support }),
      ]),
  });
}
