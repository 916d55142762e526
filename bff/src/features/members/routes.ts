// Members of a tenant: list (admin, support), refresh the Auth0 mirror (admin, support), remove (admin).
import type { Feature } from "../../feature.ts";
import { actorOf } from "../../audit-log.ts";
import { requires, requiresOwnOrSupport } from "../../auth.ts";
import { AppError } from "../../errors.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  ChangeRoleInput,
  Member,
  MemberParams,
  RemoveMemberQuery,
  MembersPage,
  MembersParams,
  MembersQuery,
  MembersSyncResult,
  RemoveMemberResult,
} from "./contract.ts";
import { listMembers } from "./list.ts";
import { createAdminRoles } from "./admins.ts";
import { removeMember } from "./remove.ts";
import { changeRole } from "./role.ts";
import { createBackgroundSync, lastSyncedAt, refreshMembers } from "./sync.ts";
import { reconcileTenantSoon } from "../../invitation-lifecycle/reconcile.ts";

const LEASE_POLL_MS = 250;

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
};

export const membersRoutes: Feature = (app, { db, auth0, config }) => {
  const admins = createAdminRoles(db, auth0, config);
  const background = createBackgroundSync(
    db,
    auth0,
    app.log,
    config.membersSyncIntervalSeconds,
    () => admins.roleId(),
  );
  app.addHook("onClose", () => background.drain());
  const ensureTenant = async (tenantId: string) => {
    const r = await db.query("select 1 from tenants where id = $1", [tenantId]);
    if (r.rowCount === 0) throw new AppError("not_found", "No such tenant");
  };

  app.get(
    "/tenants/:tenantId/members",
    {
      config: requiresOwnOrSupport("read:members", "read:all_tenants"),
      schema: {
        params: MembersParams,
        querystring: MembersQuery,
        response: { 200: MembersPage, ...errors },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const syncedAt = await lastSyncedAt(db, tenantId);
      await ensureTenant(tenantId);
      background.maybeRefresh(tenantId, syncedAt);
      // Used tickets show as accepted at once (from Auth0's record; throttled per tenant).
      await reconcileTenantSoon(db, auth0, tenantId, request.log);
      const page = await listMembers(db, tenantId, request.query);
      return { ...page, syncedAt: syncedAt?.toISOString() ?? null };
    },
  );

  app.post(
    "/tenants/:tenantId/members/sync",
    {
      config: requiresOwnOrSupport("read:members", "read:all_tenants"),
      schema: {
        params: MembersParams,
        response: { 200: MembersSyncResult, 429: ErrorBody, ...errors },
      },
    },
    async (request) => {
      await ensureTenant(request.params.tenantId);
      // Another refresh (background or another instance) holds the lease: wait for it briefly,
      // then run ours. Never hold the admin's request for long: after the interactive wait the
      // answer is 429 with Retry-After (docs/decisions/009-fair-share-of-the-auth0-budget.md).
      const deadline = Date.now() + config.auth0.interactiveWaitMs;
      for (;;) {
        const outcome = await refreshMembers(
          db,
          auth0,
          request.params.tenantId,
          () => admins.roleId(),
        );
        if (outcome.ran) return outcome;
        if (Date.now() + LEASE_POLL_MS > deadline)
          throw new AppError(
            "rate_limited",
            "A refresh of this tenant's members is already running; try again shortly",
            undefined,
            { retryAfterSeconds: 2 },
          );
        await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      }
    },
  );

  app.patch(
    "/tenants/:tenantId/members/:userId",
    {
      // A tenant's admin (invite:members: granting admin is inviting someone into the admin role)
      // or support (read:all_tenants) in any tenant. The body can only name TenantRole's values.
      config: requiresOwnOrSupport("invite:members", "read:all_tenants"),
      schema: {
        params: MemberParams,
        body: ChangeRoleInput,
        response: { 200: Member, 409: ErrorBody, 502: ErrorBody, ...errors },
      },
    },
    (request) =>
      changeRole(
        { db, auth0, admins },
        request.params.tenantId,
        request.params.userId,
        request.body.role,
        actorOf(request),
      ),
  );

  app.delete(
    "/tenants/:tenantId/members/:userId",
    {
      config: requires("revoke:members"),
      schema: {
        params: MemberParams,
        querystring: RemoveMemberQuery,
        response: {
          200: RemoveMemberResult,
          409: ErrorBody,
          502: ErrorBody,
          ...errors,
        },
      },
    },
    (request) =>
      removeMember(
        { db, auth0, removal: config.memberRemoval, admins },
        request.params.tenantId,
        request.params.userId,
        actorOf(request),
        { confirmSelf: request.query.confirm === "self" },
      ),
  );
  return Promise.resolve();
};
