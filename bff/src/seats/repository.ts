// The SQL of seat accounting. The counters are kept exact by the triggers of migration
// 011-seat-counters.sql (one row per person in seat_holders, signed deltas in seat_counts); these
// statements only read them, lock a tenant for a reservation and compact the deltas.
import type { Queryable } from "../db/db.ts";

export interface SeatCountRow {
  limit: number;
  used: number;
  pending: number;
  /** delta rows summed: compact() when there are many */
  rows: number;
}

// Pending seats count while their bucket's expires_at is in the future ('infinity': never expires;
// used seats are all in that bucket).
const SEATS_SQL = `
  select t.seat_limit as "limit",
    coalesce(sum(c.used), 0)::int as used,
    coalesce(sum(c.pending) filter (where c.expires_at > now()), 0)::int as pending,
    count(c.id)::int as rows
  from tenants t left join seat_counts c on c.tenant_id = t.id
  where t.id = $1
  group by t.id`;

/** The tenant's seat limit and counters, or null when there is no such tenant. */
export async function readSeatCounts(
  q: Queryable,
  tenantId: string,
): Promise<SeatCountRow | null> {
  return (await q.query<SeatCountRow>(SEATS_SQL, [tenantId])).rows[0] ?? null;
}

/**
 * Locks the tenant row until the caller's transaction ends; false when there is no such tenant.
 * NO KEY UPDATE, not UPDATE: the caller's inserts that reference the tenant (imports,
 * invitations) hold KEY SHARE locks on it, which FOR UPDATE would wait for: two concurrent imports
 * for one tenant deadlocked. NO KEY UPDATE still serialises reservations.
 */
export async function lockTenant(
  tx: Queryable,
  tenantId: string,
): Promise<boolean> {
  const locked = await tx.query(
    "select id from tenants where id = $1 for no key update",
    [tenantId],
  );
  return locked.rowCount > 0;
}

// Replaces the tenant's deltas with one row per expires_at. Safe next to writers (their
// uncommitted deltas are not in this statement's snapshot and stay) and next to another compaction
// (a row the other one deleted first is skipped, and so is not summed twice). Buckets that expired
// a day ago count for nobody and are dropped (a day: a transaction whose now() is older than the
// compaction's still sees the buckets it could count).
const COMPACT_SQL = `
  with gone as (delete from seat_counts where tenant_id = $1 returning expires_at, used, pending)
  insert into seat_counts (tenant_id, expires_at, used, pending)
  select $1, expires_at, sum(used), sum(pending) from gone
  where expires_at > now() - interval '1 day'
  group by expires_at
  having sum(used) <> 0 or sum(pending) <> 0`;

export async function compactSeatCounts(
  q: Queryable,
  tenantId: string,
): Promise<void> {
  await q.query(COMPACT_SQL, [tenantId]);
}
