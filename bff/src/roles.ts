// The roles a tenant can grant, and the Auth0 role behind each (docs/architecture.md, "Tenancy,
// people and permissions"). `member` is the absence of any Guestlist role; `admin` is the Auth0 role
// "Customer admin" (AUTH0_ADMIN_ROLE_ID, else looked up once by AUTH0_ADMIN_ROLE_NAME). Support's
// role is deliberately not here: no tenant-facing route can grant it.
import type { Auth0 } from "./auth0/types.ts";
import { AppError } from "./errors.ts";
import { TenantRole } from "./shared-contract.ts";

export { TenantRole };
export const TENANT_ROLES = TenantRole.options;

/**
 * Most users per POST /api/v2/roles/{id}/users. Auth0's OpenAPI document sets no maxItems on
 * `AssignRoleUsersRequestContent.users`; 100 is the page size Auth0 uses for role members
 * (`GET /api/v2/roles/{id}/users`, `per_page` ≤ 100) and keeps one call's body small.
 */
export const ROLE_USERS_PER_CALL = 100;

/** Resolves the "Customer admin" role's id: the configured id, else by name (cached on success). */
export function createAdminRoleId(
  auth0: Pick<Auth0, "roleIdByName">,
  role: { readonly id?: string | undefined; readonly name: string },
): () => Promise<string> {
  let lookup: Promise<string> | undefined;
  return () => {
    if (role.id) return Promise.resolve(role.id);
    lookup ??= auth0.roleIdByName(role.name).then((found) => {
      if (found) return found;
      throw new AppError(
        "internal",
        `The Auth0 role "${role.name}" does not exist (AUTH0_ADMIN_ROLE_NAME / AUTH0_ADMIN_ROLE_ID)`,
      );
    });
    lookup.catch(() => (lookup = undefined));
    return lookup;
  };
}
