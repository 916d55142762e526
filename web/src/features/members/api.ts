// Server state for the members page: the tenant's seats, the paged member list and the actions
// that change them. Every mutation invalidates the tenant's whole members key.
import {
  BulkResendResult,
  InviteMemberResult,
  Member,
  MembersPage,
  RemoveMemberResult,
  ResendResult,
  TenantDetail,
  type BulkResendInput as ContractBulkResendInput,
  type InviteMemberInput,
  type MemberState,
  type TenantRole,
} from "@app/bff/contract";
import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
} from "@tanstack/react-query";
import type { ApiClient } from "../../lib/api-client.ts";
import { useApiMutation } from "../../lib/api-mutation.ts";
import { queryKeys } from "../../lib/query-keys.ts";

export type MembersFilter = {
  state?: MemberState;
  role?: TenantRole;
  q?: string;
};
/** `limit` has a server-side default, so the form leaves it out. */
export type BulkResendInput = Omit<ContractBulkResendInput, "limit">;

const PAGE_SIZE = 50;
const tenantPath = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}`;

export const memberQueries = {
  all: queryKeys.members,
  tenant: (api: ApiClient, tenantId: string) =>
    queryOptions({
      queryKey: [...memberQueries.all(tenantId), "tenant"],
      queryFn: ({ signal }) =>
        api.request("GET", tenantPath(tenantId), TenantDetail, { signal }),
    }),
  list: (api: ApiClient, tenantId: string, filter: MembersFilter) =>
    infiniteQueryOptions({
      queryKey: [...memberQueries.all(tenantId), "list", filter],
      initialPageParam: null as string | null,
      getNextPageParam: (page: MembersPage) => page.nextCursor,
      // Keep showing the previous results while a new search or filter loads.
      placeholderData: keepPreviousData,
      queryFn: ({ pageParam, signal }) => {
        const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (filter.state) params.set("state", filter.state);
        if (filter.role) params.set("role", filter.role);
        if (filter.q) params.set("q", filter.q);
        if (pageParam !== null) params.set("cursor", pageParam);
        return api.request(
          "GET",
          `${tenantPath(tenantId)}/members?${params.toString()}`,
          MembersPage,
          { signal },
        );
      },
    }),
};

function useMembersMutation<TInput, TResult>(
  tenantId: string,
  run: (api: ApiClient, input: TInput) => Promise<TResult>,
) {
  return useApiMutation(memberQueries.all(tenantId), run);
}

export function useResendMember(tenantId: string) {
  return useMembersMutation(tenantId, (api, userId: string) =>
    api.request(
      "POST",
      `${tenantPath(tenantId)}/members/${encodeURIComponent(userId)}/resend`,
      ResendResult,
    ),
  );
}

/** `self`: the admin removes themselves; the confirm dialog was their confirmation (?confirm=self). */
export function useRemoveMember(tenantId: string) {
  return useMembersMutation(
    tenantId,
    (api, { userId, self }: { userId: string; self: boolean }) =>
      api.request(
        "DELETE",
        `${tenantPath(tenantId)}/members/${encodeURIComponent(userId)}${self ? "?confirm=self" : ""}`,
        RemoveMemberResult,
      ),
  );
}

export function useBulkResend(tenantId: string) {
  return useMembersMutation(tenantId, (api, input: BulkResendInput) =>
    api.request(
      "POST",
      `${tenantPath(tenantId)}/invitations/resend`,
      BulkResendResult,
      { body: input },
    ),
  );
}

export function useInviteMember(tenantId: string) {
  return useMembersMutation(tenantId, (api, input: InviteMemberInput) =>
    api.request("POST", `${tenantPath(tenantId)}/members`, InviteMemberResult, {
      body: input,
    }),
  );
}

/** Promote to admin or demote to member; the list (role column and filter) is refetched. */
export function useChangeRole(tenantId: string) {
  return useMembersMutation(
    tenantId,
    (api, { userId, role }: { userId: string; role: TenantRole }) =>
      api.request(
        "PATCH",
        `${tenantPath(tenantId)}/members/${encodeURIComponent(userId)}`,
        Member,
        { body: { role } },
      ),
  );
}
