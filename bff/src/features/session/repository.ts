// The session feature's SQL: the signed-in user's tenant and what the members mirror knows of them.
import type { Queryable } from "../../db/db.ts";

export async function findTenantName(
  db: Queryable,
  tenantId: string,
): Promise<{ id: string; name: string } | null> {
  return (
    (
      await db.query<{ id: string; name: string }>(
        "select id, name from tenants where id = $1",
        [tenantId],
      )
    ).rows[0] ?? null
  );
}

/** The mirrored Auth0 profile of a user (members table), when there is one. */
export async function findMirroredProfile(
  db: Queryable,
  userId: string,
): Promise<{ email: string; name: string | null } | undefined> {
  return (
    await db.query<{ email: string; name: string | null }>(
      "select email, name from members where user_id = $1",
      [userId],
    )
  ).rows[0];
}
