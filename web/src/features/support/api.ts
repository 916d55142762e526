// Server state for the support console: people across tenants, tenants with seats, and actions.
import {
  InvitationLink,
  LinkSent,
  Member,
  ResendResult,
  SupportUserSearch,
  TenantDetail,
  TenantList,
  type TenantRole,
  type UpdateTenantInput,
} from "@app/bff/contract";
import { queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../lib/api-client.ts";
import { useApiMutation } from "../../lib/api-mutation.ts";
import { queryKeys } from "../../lib/query-keys.ts";

export const supportQueries = {
  all: queryKeys.support,
  user: (api: ApiClient, email: string) =>
    queryOptions({
      queryKey: [...supportQueries.all, "user", email],
      queryFn: ({ signal }) =>
        api.request(
          "GET",
          `/api/support/users?${new URLSearchParams({ email }).toString()}`,
          SupportUserSearch,
          { signal },
        ),
      enabled: email !== "",
    }),
  tenants: (api: ApiClient) =>
    queryOptions({
      queryKey: [...supportQueries.all, "tenants"],
      queryFn: ({ signal }) =>
        api.request("GET", "/api/tenants", TenantList, { signal }),
    }),
};

function useSupportMutation<TInput, TResult>(
  run: (api: ApiClient, input: TInput) => Promise<TResult>,
) {
  return useApiMutation(supportQueries.all, run);
}

export type PersonRef = { userId: string; tenantId: string };

export function useSupportResend() {
  return useSupportMutation((api, { userId, tenantId }: PersonRef) =>
    api.request(
      "POST",
      `/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}/resend`,
      ResendResult,
    ),
  );
}

export function useSendLink() {
  return useSupportMutation(
    (
      api,
      { userId, kind }: { userId: string; kind: "password" | "verification" },
    ) =>
      api.request(
        "POST",
        `/api/support/users/${encodeURIComponent(userId)}/${kind}-link`,
        LinkSent,
      ),
  );
}

export function useInvitationLink() {
  return useSupportMutation((api, { userId }: { userId: string }) =>
    api.request(
      "POST",
      `/api/support/users/${encodeURIComponent(userId)}/invitation-link`,
      InvitationLink,
    ),
  );
}

export function useUpdateTenant() {
  return useSupportMutation(
    (
      api,
      { tenantId, input }: { tenantId: string; input: UpdateTenantInput },
    ) =>
      api.request(
        "PATCH",
        `/api/tenants/${encodeURIComponent(tenantId)}`,
        TenantDetail,
        { body: input },
      ),
  );
}

/** Support promotes or demotes someone in their tenant; the person's card is refetched. */
export function useSupportChangeRole() {
  return useSupportMutation(
    (api, { userId, tenantId, role }: PersonRef & { role: TenantRole }) =>
      api.request(
        "PATCH",
        `/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}`,
        Member,
        { body: { role } },
      ),
  );
}
