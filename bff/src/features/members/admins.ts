// Who the tenant's admins are: holders of the Auth0 role "Customer admin" (docs/real-tenant.md,
// pnpm auth0:setup) whose app_metadata.tenant_id is the tenant. Used to refuse removing the last
// one. Our records place most holders without an Auth0 call; the rest are read from Auth0.
import type { Auth0 } from "../../auth0/types.ts";
import type { Config } from "../../config.ts";
import type { Queryable } from "../../db/db.ts";
import { createAdminRoleId } from "../../roles.ts";
import { findActiveTenantsOf } from "./repository.ts";

/** Most Auth0 user reads one removal may spend placing role holders we have no record of. */
const MAX_LOOKUPS = 100;

export interface AdminRoles {
  /** the role's id: AUTH0_ADMIN_ROLE_ID, else looked up by name once */
  roleId(): Promise<string>;
  isAdmin(userId: string): Promise<boolean>;
  /** true when the tenant has an admin other than `userId` (not blocked, not removed) */
  hasOtherAdmin(
    tenantId: string,
    userId: string,
    /** inside a transaction: its connection (default: the pool) */
    q?: Queryable,
  ): Promise<boolean>;
}

export function createAdminRoles(
  db: Queryable,
  auth0: Auth0,
  adminRole: Config["auth0"]["adminRole"],
): AdminRoles {
  const roleId = createAdminRoleId(auth0, adminRole);
  return {
    roleId,
    async isAdmin(userId) {
      return (await auth0.userRoleIds(userId)).includes(await roleId());
    },
    async hasOtherAdmin(tenantId, userId, q = db) {
      const holders = (await auth0.roleUserIds(await roleId())).filter(
        (h) => h !== userId,
      );
      if (holders.length === 0) return false;
      const known = await findActiveTenantsOf(q, holders);
      if (known.some((r) => r.tenant_id === tenantId)) return true;
      const placed = new Set(known.map((r) => r.user_id));
      for (const holder of holders
        .filter((h) => !placed.has(h))
        .slice(0, MAX_LOOKUPS)) {
        const user = await auth0.getUser(holder);
        if (user && user.tenantId === tenantId && !user.blocked) return true;
      }
      return false;
    },
  };
}
