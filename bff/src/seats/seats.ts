// Seat accounting, shared by tenants, members and the invitation pipeline (no feature imports it
// from another feature). used = members in Auth0 (mirror) not blocked/removed whose invitation, if
// any, is accepted, plus accepted invitations not yet mirrored; pending = open invitations not
// expired. The counts are kept by triggers (migration 011-seat-counters.sql): reading them sums a
// few rows whatever the tenant's size (docs/benchmarks.md, members page).
import { AppError } from "../errors.ts";
import type { Queryable } from "../db/db.ts";
import type { SeatSummary } from "../shared-contract.ts";
import {
  compactSeatCounts,
  lockTenant,
  readSeatCounts,
  type SeatCountRow,
} from "./repository.ts";

/** States of an invitation that still holds a seat (unless expired). */
export const OPEN_STATES = [
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
] as const;

/** More delta rows than this for one tenant: the next read compacts them. */
const COMPACT_ABOVE_ROWS = 64;

export async function seatSummary(
  q: Queryable,
  tenantId: string,
): Promise<SeatSummary> {
  const row = await readSeatCounts(q, tenantId);
  if (!row) throw new AppError("not_found", "No such tenant");
  if (row.rows > COMPACT_ABOVE_ROWS) await compactSeatCounts(q, tenantId);
  return toSummary(row);
}

function toSummary(row: SeatCountRow): SeatSummary {
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
  if (!(await lockTenant(tx, tenantId)))
    throw new AppError("not_found", "No such tenant");
  // Read after the lock, in a statement of its own: its snapshot includes the invitations (and so
  // the counter deltas) of the reservation that held the lock before us.
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
