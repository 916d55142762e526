// The pipeline's one statement on tenants (migration 001): the email domains an import may invite.
import type { Queryable } from "../db/db.ts";
import { runSql } from "../db/named-sql.ts";

/** The tenant's allowed email domains; empty = any domain. */
export async function allowedDomains(
  q: Queryable,
  tenantId: string,
): Promise<string[]> {
  const r = await runSql<{ allowed_domains: string[] }>(
    q,
    "select allowed_domains from tenants where id = :tenantId",
    { tenantId },
  );
  return r.rows[0]?.allowed_domains ?? [];
}
