// Every statement of the pipeline on imports (migration 001): one row per admin request, unique
// per (tenant, Idempotency-Key), so a retried request finds the import it already created.
import type { Queryable } from "../db/db.ts";
import { runSql } from "../db/named-sql.ts";

/** The import created with this Idempotency-Key, if any. */
export async function findImportId(
  q: Queryable,
  p: { tenantId: string; idempotencyKey: string },
): Promise<string | undefined> {
  const r = await runSql<{ id: string }>(
    q,
    "select id from imports where tenant_id = :tenantId and idempotency_key = :idempotencyKey",
    { ...p },
  );
  return r.rows[0]?.id;
}

/** Inserts the import; false when another request with the same key got there first. */
export async function insertImport(
  q: Queryable,
  p: {
    id: string;
    tenantId: string;
    idempotencyKey: string;
    createdBy: string;
    createdByEmail: string | null;
    rowCount: number;
  },
): Promise<boolean> {
  const r = await runSql(
    q,
    `insert into imports (id, tenant_id, idempotency_key, created_by, created_by_email, row_count)
     values (:id, :tenantId, :idempotencyKey, :createdBy, :createdByEmail, :rowCount)
     on conflict (tenant_id, idempotency_key) do nothing returning id`,
    { ...p },
  );
  return r.rowCount > 0;
}
