// Members of a tenant: list (admin, support), refresh the Auth0 mirror (admin, support), change a
// role, remove (admin).
import { actorOf } from "../../audit-log.ts";
import { requires, requiresOwnOrSupport } from "../../auth.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { ErrorBody } from "../../shared-contract.ts";
import { createAdminRoles } from "./admins.ts";
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
import { showMembers } from "./page.ts";
import { removeMember } from "./remove.ts";
import { changeRole } from "./role.ts";
import { createBackgroundSync, refreshNow } from "./sync.ts";

export interface MembersDeps {
  db: Db;
  auth0: Auth0;
  config: Pick<Config, "membersSyncIntervalSeconds" | "memberRemoval"> & {
    auth0: Pick<Config["auth0"], "adminRole" | "interactiveWaitMs">;
  };
}

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
};

export const membersRoutes: Feature<MembersDeps> = (
  app,
  { db, auth0, config },
) => {
  const admins = createAdminRoles(db, auth0, config.auth0.adminRole);
  const background = createBackgroundSync(
    db,
    auth0,
    app.log,
    config.membersSyncIntervalSeconds,
    () => admins.roleId(),
  );
  app.addHook("onClose", () => background.drain());

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
    (request) =>
      showMembers(
        { db, auth0, background },
        request.params.tenantId,
        request.query,
        request.log,
      ),
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
    (request) =>
      refreshNow(
        { db, auth0, adminRoleId: () => admins.roleId() },
        request.params.tenantId,
        config.auth0.interactiveWaitMs,
      ),
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
