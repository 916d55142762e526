// The audit feature's SQL: reading the append-only audit_log (audit-log.ts writes it).
import type { Queryable } from "../../db/db.ts";

export interface AuditRow {
  id: string;
  tenant_id: string | null;
  actor: string;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  request_id: string | null;
  created_at: Date | string;
}

/** The tenant's entries older than `beforeId` (all when null), newest first, at most `count`. */
export async function findAuditEntries(
  db: Queryable,
  tenantId: string,
  beforeId: string | null,
  count: number,
): Promise<AuditRow[]> {
  return (
    await db.query<AuditRow>(
      `select id::text, tenant_id, actor, actor_email, action, target, details, request_id, created_at from audit_log
       where tenant_id = $1 and ($2::bigint is null or id < $2::bigint) order by id desc limit $3`,
      [tenantId, beforeId, count],
    )
  ).rows;
}
