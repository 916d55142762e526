// Read side of an import: counts by state (expired derived from expires_at), the current waiting
// reason, and per-row outcomes with keyset paging on row_number.
import type { Queryable } from "../../db/db.ts";
import { keysetPage, rowsToFetch } from "../../db/keyset.ts";
import { AppError } from "../../errors.ts";
import type { InvitationState } from "../../shared-contract.ts";
import type {
  ImportProgress,
  ImportInvitation,
  ImportRowsQuery,
} from "./contract.ts";
import { toCsv } from "./csv.ts";
import {
  countImportStates,
  findImport,
  findImportRows,
  findWaitingReason,
  hasRolesOwed,
  importExists,
} from "./repository.ts";

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

/**
 * The count by state is the costly part of a progress answer (a scan of the import's rows: tens of
 * ms of in-process PGlite at 100,000 rows, docs/benchmarks.md), and the import page and scripts
 * poll it every second. While many rows are still open, a count is reused for COUNT_REUSE_MS and
 * concurrent requests share one count; near the end (few open rows) and after it, every request
 * counts afresh, so the answer that says `done` is always exact.
 */
const COUNT_REUSE_MS = 2_000;
/** at most this many rows still open (queued, importing, created): count afresh */
const FRESH_BELOW_OPEN = 5_000;

type StateCounts = Awaited<ReturnType<typeof countImportStates>>;
const recentCounts = new Map<
  string,
  { at: number; counts: Promise<StateCounts> }
>();

function openRows(counts: StateCounts): number {
  let open = 0;
  for (const g of counts)
    if (g.s === "queued" || g.s === "importing" || g.s === "created")
      open += Number(g.n);
  return open;
}

async function cachedStateCounts(
  db: Queryable,
  importId: string,
): Promise<StateCounts> {
  const now = Date.now();
  for (const [id, entry] of recentCounts)
    if (now - entry.at >= COUNT_REUSE_MS) recentCounts.delete(id);
  const recent = recentCounts.get(importId);
  if (recent) return recent.counts;
  const counts = countImportStates(db, importId);
  recentCounts.set(importId, { at: now, counts });
  try {
    const fresh = await counts;
    if (openRows(fresh) <= FRESH_BELOW_OPEN) recentCounts.delete(importId);
    return fresh;
  } catch (error) {
    recentCounts.delete(importId);
    throw error;
  }
}

export async function importProgress(
  db: Queryable,
  tenantId: string,
  importId: string,
): Promise<ImportProgress> {
  const imp = await findImport(db, tenantId, importId);
  if (!imp) throw new AppError("not_found", "No such import");
  const counts = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<
    InvitationState,
    number
  >;
  for (const g of await cachedStateCounts(db, importId))
    counts[g.s] = Number(g.n);
  const waitingReason = await findWaitingReason(db, importId);
  // Admin roles still owed (role-step.ts): the import is not done until they are granted.
  const rolesOwed = await hasRolesOwed(db, importId);
  return {
    importId: imp.id,
    tenantId: imp.tenant_id,
    createdAt: new Date(imp.created_at).toISOString(),
    createdBy: imp.created_by,
    total: Number(imp.row_count),
    counts,
    done: counts.queued + counts.importing + counts.created === 0 && !rolesOwed,
    waitingReason,
  };
}

export async function importRows(
  db: Queryable,
  tenantId: string,
  importId: string,
  q: Pick<ImportRowsQuery, "state" | "failedOnly" | "cursor"> & {
    limit: number | null;
  },
): Promise<{ rows: ImportInvitation[]; nextCursor: number | null }> {
  if (!(await importExists(db, tenantId, importId)))
    throw new AppError("not_found", "No such import");
  const state = q.failedOnly ? "failed" : (q.state ?? null);
  const fetched = await findImportRows(
    db,
    importId,
    q.cursor ?? 0,
    state,
    rowsToFetch(q.limit),
  );
  const { rows, nextCursor } = keysetPage(
    fetched,
    q.limit,
    (last) => last.row_number,
  );
  return {
    rows: rows.map((x) => ({
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
    nextCursor,
  };
}

/** Every row of the import matching the filter, as the CSV report an admin downloads. */
export async function importReportCsv(
  db: Queryable,
  tenantId: string,
  importId: string,
  q: Pick<ImportRowsQuery, "state" | "failedOnly">,
): Promise<string> {
  const { rows } = await importRows(db, tenantId, importId, {
    ...q,
    cursor: 0,
    limit: null,
  });
  return toCsv(
    ["row", "email", "given_name", "family_name", "role", "state", "reason"],
    rows.map((r) => [
      r.sourceRow ?? r.row,
      r.email,
      r.givenName,
      r.familyName,
      r.role,
      r.state,
      r.failureReason,
    ]),
  );
}
