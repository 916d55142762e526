// The append-only audit log writer, used by every feature and by the pipeline. Pass the
// transaction that made the change, so the entry commits (or rolls back) with it.
import { insertAuditEntry } from "./audit-log.repository.ts";
import type { Queryable } from "./db/db.ts";

export interface AuditInput {
  tenantId: string | null;
  /** token sub, or "system" for the pipeline */
  actor: string;
  actorEmail?: string | null;
  /** dotted verb, e.g. "member.removed", "invitation.revoked", "tenant.updated" */
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export async function audit(q: Queryable, entry: AuditInput): Promise<void> {
  await insertAuditEntry(q, {
    tenantId: entry.tenantId,
    actor: entry.actor,
    actorEmail: entry.actorEmail ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
    requestId: entry.requestId ?? null,
  });
}

/** The actor fields of an authenticated request, for audit(). */
export function actorOf(request: {
  id: string;
  principal: { sub: string; email: string | null } | null;
}): Pick<AuditInput, "actor" | "actorEmail" | "requestId"> {
  return {
    actor: request.principal?.sub ?? "anonymous",
    actorEmail: request.principal?.email ?? null,
    requestId: request.id,
  };
}
