// Keeps the members mirror close to Auth0 without scanning Auth0 on page views: a leased refresh
// per tenant (one instance at a time), newest-updated users first, stopping at the previous
// watermark; a complete scan (≤ 1,000 users, Auth0's search cap) also detects deletions.
// See docs/decisions/003-member-state.md.
import type { FastifyBaseLogger } from "fastify";
import { inLane, tenantLane } from "../../auth0/lanes.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import {
  ensureTenant,
  failSync,
  finishSync,
  markUnseenRemoved,
  setMirroredRoles,
  takeSyncLease,
  upsertMember,
} from "./repository.ts";

export interface SyncOutcome {
  ran: boolean;
  syncedAt: string | null;
  seen: number;
  removed: number;
}

const MAX_PAGES = 20; // 20 × 50 = Auth0's 1,000-result search cap
const FULL_SCAN_MAX_USERS = 200; // ≤ 4 calls per refresh
const WATERMARK_SKEW_MS = 5 * 60_000; // search is eventually consistent: overlap the previous run

export async function refreshMembers(
  db: Db,
  auth0: Auth0,
  tenantId: string,
  /** the "Customer admin" role: when given, members' roles are refreshed too */
  adminRoleId?: () => Promise<string>,
): Promise<SyncOutcome> {
  const lease = await takeSyncLease(db, tenantId);
  if (!lease) return { ran: false, syncedAt: null, seen: 0, removed: 0 };
  const started = new Date();
  const watermark = lease.previous
    ? lease.previous.getTime() - WATERMARK_SKEW_MS
    : null;
  let seen = 0;
  let complete = false;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await auth0.searchTenantUsers(tenantId, page);
      for (const u of result.users)
        if (u.tenantId === tenantId) await upsertMember(db, tenantId, u);
      seen += result.users.length;
      const oldest = result.users.at(-1)?.updatedAt;
      if (!result.hasMore) {
        complete = result.total <= 1000;
        break;
      }
      // Small tenants are scanned completely every time (that is how deletions show up); big ones
      // incrementally, newest updates first, down to the previous run's watermark.
      const incremental =
        watermark !== null && result.total > FULL_SCAN_MAX_USERS;
      if (incremental && oldest && new Date(oldest).getTime() < watermark)
        break;
    }
    // Roles: the role's holders (GET /api/v2/roles/{id}/users, 100 per call, all tenants' admins)
    // mark this tenant's mirrored members admin, everyone else member. Rows whose admin role is
    // still owed by the pipeline keep showing the invitation's role (list.ts).
    if (adminRoleId) {
      const holders = await auth0.roleUserIds(await adminRoleId());
      await setMirroredRoles(db, tenantId, holders);
    }
    // A complete scan saw every user of the tenant: mirrored users it did not see were deleted.
    const removed = complete
      ? await markUnseenRemoved(db, tenantId, started)
      : 0;
    const syncedAt = await finishSync(db, tenantId, started);
    return {
      ran: true,
      syncedAt: syncedAt ? syncedAt.toISOString() : null,
      seen,
      removed,
    };
  } catch (error) {
    await failSync(
      db,
      tenantId,
      error instanceof Error ? error.message.slice(0, 500) : "failed",
    );
    throw error;
  }
}

const LEASE_POLL_MS = 250;

/**
 * POST …/members/sync: refresh now. Another refresh (background or another instance) holds the
 * lease: wait for it briefly, then run ours. Never hold the admin's request for long: after the
 * interactive wait the answer is 429 with Retry-After
 * (docs/decisions/009-fair-share-of-the-auth0-budget.md).
 */
export async function refreshNow(
  deps: { db: Db; auth0: Auth0; adminRoleId: () => Promise<string> },
  tenantId: string,
  interactiveWaitMs: number,
): Promise<SyncOutcome> {
  await ensureTenant(deps.db, tenantId);
  const deadline = Date.now() + interactiveWaitMs;
  for (;;) {
    const outcome = await refreshMembers(
      deps.db,
      deps.auth0,
      tenantId,
      deps.adminRoleId,
    );
    if (outcome.ran) return outcome;
    if (Date.now() + LEASE_POLL_MS > deadline)
      throw new AppError(
        "rate_limited",
        "A refresh of this tenant's members is already running; try again shortly",
        undefined,
        { retryAfterSeconds: 2 },
      );
    await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
  }
}

export interface BackgroundSync {
  maybeRefresh(tenantId: string, syncedAt: Date | null): void;
  drain(): Promise<void>;
}

/** Starts a refresh in the background when the mirror is older than intervalSeconds; tracks it for shutdown. */
export function createBackgroundSync(
  db: Db,
  auth0: Auth0,
  log: FastifyBaseLogger,
  intervalSeconds: number,
  adminRoleId?: () => Promise<string>,
): BackgroundSync {
  const running = new Set<Promise<unknown>>();
  return {
    maybeRefresh(tenantId: string, syncedAt: Date | null): void {
      if (syncedAt && Date.now() - syncedAt.getTime() < intervalSeconds * 1000)
        return;
      // Background work: the tenant's lane, without the short wait of the request that started it.
      const p = inLane(tenantLane(tenantId), () =>
        refreshMembers(db, auth0, tenantId, adminRoleId),
      )
        .then(
          (r) =>
            r.ran &&
            log.info(
              { tenantId, seen: r.seen, removed: r.removed },
              "members mirror refreshed",
            ),
        )
        .catch((error: unknown) =>
          log.warn({ err: error, tenantId }, "members mirror refresh failed"),
        )
        .finally(() => running.delete(p));
      running.add(p);
    },
    async drain(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}
