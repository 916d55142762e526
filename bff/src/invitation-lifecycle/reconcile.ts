// Acceptance from Auth0's record, never from a URL (docs/decisions/007-…). An open invitation
// becomes accepted when Auth0 says the password was set at or after the invitation's latest ticket
// was issued (minus a small clock-skew allowance), or that the person has signed in; it becomes
// verified only when Auth0 says email_verified. Three ways in, all reading Auth0:
//   - one person now (the /done callback, a repeated Accept, support opening the person): getUser;
//   - one tenant (the Members page, throttled): user search by tenant and last_password_reset range;
//   - the background sweep: the same search for every tenant with tickets that could have been used.
// The search costs one Management API call per 100 users whose password was set in the window, and
// nothing for a tenant with no such tickets.
import type { FastifyBaseLogger } from "fastify";
import type { Auth0 } from "../auth0/types.ts";
import type { Db } from "../db/db.ts";
import {
  findOpenTickets,
  findTenantsWithOpenTickets,
  markAccepted,
  dropReconcileLease,
  markVerified,
  reconcileDue,
  releaseReconcileLease,
  takeReconcileLease,
} from "./repository.ts";

/** Auth0's clock and ours may differ a little. */
export const CLOCK_SKEW_MS = 60_000;
/** Tickets that expired longer ago than this are no longer searched for (search is eventually consistent). */
export const SWEEP_GRACE_MS = 10 * 60_000;
/** The background sweep runs this often; so a used ticket is reconciled within ~2 intervals. */
export const SWEEP_INTERVAL_MS = 2 * 60_000;
/** Members page / support: at most one tenant search per this interval. */
export const ON_DEMAND_MIN_INTERVAL_MS = 15_000;
/** A safety cap on search calls per tenant per run. */
const MAX_CALLS_PER_TENANT = 50;
const LAST_PAGE = 9; // 10 × 100 = Auth0's 1,000-result cap

export interface Auth0Record {
  emailVerified: boolean;
  lastPasswordReset: string | null;
  lastLogin: string | null;
  loginsCount: number;
}

/** The rule: did Auth0 record the invitee finishing? Pure; every path goes through it. */
export function acceptedByAuth0(
  user: Auth0Record,
  ticketIssuedAt: Date | null,
): "signed_in" | "password_set" | null {
  if (user.loginsCount > 0 || user.lastLogin !== null) return "signed_in";
  if (ticketIssuedAt === null || user.lastPasswordReset === null) return null;
  const setAt = Date.parse(user.lastPasswordReset);
  if (Number.isNaN(setAt)) return null;
  return setAt >= ticketIssuedAt.getTime() - CLOCK_SKEW_MS
    ? "password_set"
    : null;
}

/** Applies Auth0's record to one open invitation. Returns the resulting state change, if any. */
export async function applyAuth0Record(
  db: Db,
  invitation: { id: string; ticketIssuedAt: Date | null },
  user: Auth0Record,
): Promise<"accepted" | "verified" | null> {
  const evidence = acceptedByAuth0(user, invitation.ticketIssuedAt);
  if (evidence) {
    await markAccepted(db, invitation.id, `auth0:${evidence}`);
    return "accepted";
  }
  if (user.emailVerified) {
    await markVerified(db, invitation.id);
    return "verified";
  }
  return null;
}

/** One person, now: a consistent get-user (1 call). null when the user is gone from Auth0. */
export async function reconcileOne(
  db: Db,
  auth0: Pick<Auth0, "getUser">,
  invitation: { id: string; userId: string; ticketIssuedAt: Date | null },
): Promise<{
  change: "accepted" | "verified" | null;
  user: Auth0Record;
} | null> {
  const user = await auth0.getUser(invitation.userId);
  if (!user) return null;
  return { change: await applyAuth0Record(db, invitation, user), user };
}

export interface TenantOutcome {
  ran: boolean;
  calls: number;
  accepted: number;
}

/**
 * Compares one tenant's open invitations whose ticket could have been used with Auth0's record.
 * Throttled: skipped (ran=false) when another run holds the lease or one finished < minIntervalMs ago.
 */
export async function reconcileTenant(
  db: Db,
  auth0: Auth0,
  tenantId: string,
  minIntervalMs = 0,
): Promise<TenantOutcome> {
  // Throttle first: a Members page view within the interval (or with nothing open) runs one
  // read-only statement and reads no ticket; the tickets are read only under the lease.
  if (!(await reconcileDue(db, tenantId, SWEEP_GRACE_MS, minIntervalMs)))
    return { ran: false, calls: 0, accepted: 0 };
  if (!(await takeReconcileLease(db, tenantId, minIntervalMs)))
    return { ran: false, calls: 0, accepted: 0 };
  let calls = 0;
  let accepted = 0;
  try {
    const open = await findOpenTickets(db, tenantId, SWEEP_GRACE_MS);
    if (open.length === 0) {
      // Closed or accepted since reconcileDue: no run happened, so the throttle stays as it was.
      await dropReconcileLease(db, tenantId);
      return { ran: false, calls: 0, accepted: 0 };
    }
    const byUser = new Map(
      open.map((o) => [
        o.user_id,
        { id: o.id, ticketIssuedAt: new Date(o.ticket_issued_at) },
      ]),
    );
    let oldest = Infinity; // no spread: there may be 100,000 open tickets
    for (const o of byUser.values())
      oldest = Math.min(oldest, o.ticketIssuedAt.getTime());
    let since = new Date(oldest - CLOCK_SKEW_MS).toISOString();
    for (let page = 0; calls < MAX_CALLS_PER_TENANT;) {
      const result = await auth0.searchPasswordResetsSince(
        tenantId,
        since,
        page,
      );
      calls++;
      for (const u of result.users) {
        const inv = byUser.get(u.userId);
        if (!inv) continue;
        if ((await applyAuth0Record(db, inv, u)) === "accepted") {
          accepted++;
          byUser.delete(u.userId);
        }
      }
      if (result.hasMore) {
        page++;
        continue;
      }
      // More than 1,000 matches: continue from the last time seen (results are oldest first).
      const last = result.users.at(-1)?.lastPasswordReset;
      if (result.capped && page === LAST_PAGE && last && last > since) {
        since = last;
        page = 0;
        continue;
      }
      break;
    }
    await releaseReconcileLease(db, tenantId, null);
    return { ran: true, calls, accepted };
  } catch (error) {
    await releaseReconcileLease(
      db,
      tenantId,
      error instanceof Error ? error.message.slice(0, 500) : "failed",
    );
    throw error;
  }
}

/** Every tenant with tickets that could have been used since the last run. */
export async function sweepOpenInvitations(
  db: Db,
  auth0: Auth0,
  minIntervalMs = 0,
): Promise<{ tenants: number; calls: number; accepted: number }> {
  const tenants = await findTenantsWithOpenTickets(db, SWEEP_GRACE_MS);
  let calls = 0;
  let accepted = 0;
  let ran = 0;
  for (const tenantId of tenants) {
    const r = await reconcileTenant(db, auth0, tenantId, minIntervalMs);
    calls += r.calls;
    accepted += r.accepted;
    if (r.ran) ran++;
  }
  return { tenants: ran, calls, accepted };
}

/** The background sweep: every SWEEP_INTERVAL_MS; errors are logged and the next run tries again. */
export function startReconcileSweep(
  db: Db,
  auth0: Auth0,
  log: FastifyBaseLogger,
  intervalMs = SWEEP_INTERVAL_MS,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepOpenInvitations(db, auth0, intervalMs / 2)
      .then(
        (r) =>
          r.accepted > 0 &&
          log.info(r, "invitations accepted from Auth0's record"),
      )
      .catch((error: unknown) =>
        log.warn({ err: error }, "invitation reconciliation failed"),
      );
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The Members page: reconcile the tenant first, but never make the page wait long or fail. */
export async function reconcileTenantSoon(
  db: Db,
  auth0: Auth0,
  tenantId: string,
  log: FastifyBaseLogger,
  waitMs = 2_000,
): Promise<void> {
  const work = reconcileTenant(
    db,
    auth0,
    tenantId,
    ON_DEMAND_MIN_INTERVAL_MS,
  ).catch((error: unknown) => {
    log.warn({ err: error, tenantId }, "invitation reconciliation failed");
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work,
    new Promise((r) => {
      timer = setTimeout(r, waitMs);
    }),
  ]);
  clearTimeout(timer);
}
