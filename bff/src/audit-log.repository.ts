// The one statement on audit_log (migration 001): append an entry. Pass the transaction that made
// the change, so the entry commits (or rolls back) with it.
import type { Queryable } from "./db/db.ts";
import { runSql } from "./db/named-sql.ts";

export interface AuditRow {
  tenantId: string | null;
  actor: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export async function insertAuditEntry(
  q: Queryable,
  row: AuditRow,
): Promise<void> {
  await runSql(
    q,
    `insert into audit_log (tenant_id, actor, actor_email, action, target, details, request_id)
     values (:tenantId, :actor, :actorEmail, :action, :target, :details::jsonb, :requestId)`,
    { ...row, details: JSON.stringify(row.details) },
  );
}
