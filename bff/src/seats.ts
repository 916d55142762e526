// Seat accounting, shared by tenants, members and the invitation pipeline (no feature imports it
// from another feature). used = members in Auth0 (mirror) not blocked/removed whose invitation, if
// any, is accepted, plus accepted invitations not yet mirrored; pending = open invitations.
import type { Queryable } from "./db/db.ts";
import { AppError } from "./errors.ts";
import type { SeatSummary } from "./shared-contract.ts";

/** States of an invitation that still holds a seat (unless expired). */
export const OPEN_STATES = [
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
] as const;

const SEATS_SQL = `
  select t.seat_limit as "limit",
    (select count(*) from invitations i
      where i.tenant_id = t.id and i.state in ('queued','importing','created','emailed','verified')
        and (i.expires_at is null or i.expires_at > now()))::int as pending,
    ((select count(*) from members m
      where m.tenant_id = t.id and not m.blocked and m.removed_at is null
        and not exists (select 1 from invitations i where i.user_id = m.user_id and i.state <> 'accepted'))
     + (select count(*) from invitations i
      where i.tenant_id = t.id and i.state = 'accepted'
        and not exists (select 1 from members m where m.user_id = i.user_id)))::int as used
  from tenants t where t.id = $1`;

interface SeatRow {
  limit: number;
  used: number;
  pending: number;
}

export async function seatSummary(
  q: Queryable,
  tenantId: string,
): Promise<SeatSummary> {
  const row = (await q.query<SeatRow>(SEATS_SQL, [tenantId])).rows[0];
  if (!row) throw new AppError("not_found", "No such tenant");
  return toSummary(row);
}

function toSummary(row: SeatRow): SeatSummary {
  const used = Number(row.used);
  const pending = Number(row.pending);
  const limit = Number(row.limit);
  return { limit, used, pending, free: limit - used - pending };
}

/**
 * Reserves n seats inside the caller's transaction: locks the tenant row (`for no key update`)
 * so concurrent reservations for one tenant run one after another, then checks free ≥ n. The caller
 * inserts its invitations in the same transaction; the lock is held until it commits.
 * Throws AppError conflict (details {free, requested}) when not enough seats are free.
 */
export async function reserveSeats(
  tx: Queryable,
  tenantId: string,
  n: number,
): Promise<SeatSummary> {
  const locked = await tx.query(
    // NO KEY UPDATE, not UPDATE: the caller's inserts that reference the tenant (imports,
    // invitations) hold KEY SHARE locks on it, which FOR UPDATE would wait for: two concurrent
    // imports for one tenant deadlocked. NO KEY UPDATE still serialises reservations.
    "select id from tenants where id = $1 for no key update",
    [tenantId],
  );
  if (locked.rowCount === 0) throw new AppError("not_found", "No such tenant");
  const seats = await seatSummary(tx, tenantId);
  if (seats.free < n) {
    throw new AppError(
      "conflict",
      `Only ${Math.max(0, seats.free)} seat(s) free; ${n} requested`,
      {
        free: Math.max(0, seats.free),
        requested: n,
      },
    );
  }
  return seats;
}
