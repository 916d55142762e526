// Read side of an import: counts by state (expired derived from expires_at), the current waiting
// reason, and per-row outcomes with keyset paging on row_number.
import type { Queryable } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { InvitationState, TenantRole } from "../../shared-contract.ts";
import type {
  ImportProgress,
  ImportInvitation,
  ImportRowsQuery,
} from "./contract.ts";

const STATE_SQL = `case when i.state in ('created', 'emailed', 'verified') and i.expires_at < now() then 'expired' else i.state end`;

const ALL_STATES: InvitationState[] = [
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
  "accepted",
  "failed",
  "revoked",
  "expired",
];

export async function importProgress(
  db: Queryable,
  tenantId: string,
  importId: string,
): Promise<ImportProgress> {
  const imp = (
    await db.query<{
      id: string;
      tenant_id: string;
      created_at: Date | string;
      created_by: string | null;
      row_count: number;
    }>(
      `select id, tenant_id, created_at, coalesce(created_by_email, created_by) as created_by, row_count
       from imports where id = $1 and tenant_id = $2`,
      [importId, tenantId],
    )
  ).rows[0];
  if (!imp) throw new AppError("not_found", "No such import");
  const counts = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<
    InvitationState,
    number
  >;
  const grouped = await db.query<{ s: InvitationState; n: number }>(
    `select ${STATE_SQL} as s, count(*)::int as n from invitations i where i.import_id = $1 group by 1`,
    [importId],
  );
  for (const g of grouped.rows) counts[g.s] = Number(g.n);
  const waiting = await db.query<{ reason: string }>(
    `(select waiting_reason as reason from import_batches where import_id = $1 and waiting_reason is not null
       and state in ('pending', 'submitting', 'submitted') limit 1)
     union all
     (select waiting_reason from invitations where import_id = $1 and waiting_reason is not null and mail_due_at is not null limit 1)
     limit 1`,
    [importId],
  );
  // Admin roles still owed (role-step.ts): the import is not done until they are granted.
  const rolesOwed = await db.query(
    "select 1 from invitations where import_id = $1 and role_due_at is not null limit 1",
    [importId],
  );
  return {
    importId: imp.id,
    tenantId: imp.tenant_id,
    createdAt: new Date(imp.created_at).toISOString(),
    createdBy: imp.created_by,
    total: Number(imp.row_count),
    counts,
    done:
      counts.queued + counts.importing + counts.created === 0 &&
      rolesOwed.rowCount === 0,
    waitingReason: waiting.rows[0]?.reason ?? null,
  };
}

interface InvitationRecord {
  row_number: number;
  source_row: number | null;
  email: string;
  given_name: string | null;
  family_name: string | null;
  state: InvitationState;
  role: TenantRole;
  failure_code: string | null;
  failure_reason: string | null;
  user_id: string;
}

export async function importRows(
  db: Queryable,
  tenantId: string,
  importId: string,
  q: Pick<ImportRowsQuery, "state" | "failedOnly" | "cursor"> & {
    limit: number | null;
  },
): Promise<{ rows: ImportInvitation[]; nextCursor: number | null }> {
  const exists = await db.query(
    "select 1 from imports where id = $1 and tenant_id = $2",
    [importId, tenantId],
  );
  if (exists.rowCount === 0) throw new AppError("not_found", "No such import");
  const state = q.failedOnly ? "failed" : (q.state ?? null);
  const r = await db.query<InvitationRecord>(
    `select * from (
       select i.row_number, i.source_row, i.email, i.given_name, i.family_name, ${STATE_SQL} as state, i.role, i.failure_code, i.failure_reason, i.user_id
       from invitations i where i.import_id = $1 and i.row_number > $2) x
     where $3::text is null or x.state = $3
     order by row_number limit $4`,
    [importId, q.cursor ?? 0, state, q.limit === null ? null : q.limit + 1],
  );
  const page = q.limit === null ? r.rows : r.rows.slice(0, q.limit);
  const more = q.limit !== null && r.rows.length > q.limit;
  return {
    rows: page.map((x) => ({
      row: x.row_number,
      sourceRow: x.source_row,
      email: x.email,
      givenName: x.given_name,
      familyName: x.family_name,
      state: x.state,
      role: x.role,
      failureCode: x.failure_code,
      failureReason: x.failure_reason,
      userId: x.user_id,
    })),
    nextCursor: more ? (page[page.length - 1]?.row_number ?? null) : null,
  };
}
