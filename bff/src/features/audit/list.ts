// A tenant's audit log, newest first, keyset-paged on id (db/keyset.ts).
import type { Queryable } from "../../db/db.ts";
import { keysetPage, rowsToFetch } from "../../db/keyset.ts";
import type { AuditPage, AuditQuery } from "./contract.ts";
import { findAuditEntries } from "./repository.ts";

export async function listAuditEntries(
  db: Queryable,
  tenantId: string,
  { limit, cursor }: AuditQuery,
): Promise<AuditPage> {
  const fetched = await findAuditEntries(
    db,
    tenantId,
    cursor ?? null,
    rowsToFetch(limit),
  );
  const { rows, nextCursor } = keysetPage(fetched, limit, (r) => r.id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      actor: r.actor,
      actorEmail: r.actor_email,
      action: r.action,
      target: r.target,
      details: r.details ?? {},
      requestId: r.request_id,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    nextCursor,
  };
}
