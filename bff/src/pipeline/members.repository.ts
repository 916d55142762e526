// The pipeline's one statement on members (migrations 002, 010): the directory row of a user who
// was just given the admin role in Auth0 (role-step.ts) says so too.
import type { Queryable } from "../db/db.ts";
import { runSql } from "../db/named-sql.ts";

export async function markMembersAdmin(
  q: Queryable,
  userIds: readonly string[],
): Promise<void> {
  await runSql(
    q,
    "update members set role = 'admin' where user_id = any(:userIds::text[])",
    { userIds },
  );
}
