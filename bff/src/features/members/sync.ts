// Keeps the members mirror close to Auth0 without scanning Auth0 on page views: a leased refresh
// per tenant (one instance at a time), newest-updated users first, stopping at the previous
// watermark; a complete scan (≤ 1,000 users, Auth0's search cap) also detects deletions.
// See docs/decisions/003-member-state.md.
import type { FastifyBaseLogger } from "fastify";
import { inLane, tenantLane } from "../../auth0/lanes.ts";
import type { AppUser, Auth0 } from "../../auth0/types.ts";
import type { Db, Queryable } from "../../db/db.ts";

export interface SyncOutcome {
  ran: boolean;
  syncedAt: string | null;
  seen: number;
  removed: number;
}

const MAX_PAGES = 20; // 20 × 50 = Auth0's 1,000-result search cap
const FULL_SCAN_MAX_USERS = 200; // ≤ 4 calls per refresh
const WATERMARK_SKEW_MS = 5 * 60_000; // search is eventually consistent: overlap the previous run

export async function upsertMember(
  q: Queryable,
  tenantId: string,
  u: AppUser,
): Promise<void> {
  await q.query(
    `insert into members (user_id, tenant_id, email, name, email_verified, blocked, last_login, auth0_created_at, auth0_updated_at, removed_at, synced_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, null, now())
     on conflict (user_id) do update set tenant_id = excluded.tenant_id, email = excluded.email, name = excluded.name,
       email_verified = excluded.email_verified, blocked = excluded.blocked, last_login = excluded.last_login,
       auth0_created_at = excluded.auth0_created_at, auth0_updated_at = excluded.auth0_updated_at, removed_at = null, synced_at = now()`,
    [
      u.userId,
      tenantId,
      u.email,
      u.name,
      u.emailVerified,
      u.blocked,
      u.lastLogin,
      u.createdAt,
      u.updatedAt,
    ],
  );
}

async function takeLease(
  db: Db,
  tenantId: string,
): Promise<{ previous: Date | null } | null> {
  await db.query(
    "insert into member_sync (tenant_id) values ($1) on conflict (tenant_id) do nothing",
    [tenantId],
  );
  const r = await db.query<{ synced_at: Date | string | null }>(
    `update member_sync set lease_until = now() + interval '2 minutes'
     where tenant_id = $1 and (lease_until is null or lease_until < now()) returning synced_at`,
    [tenantId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { previous: row.synced_at === null ? null : new Date(row.synced_at) };
}

export async function refreshMembers(
  db: Db,
  auth0: Auth0,
  tenantId: string,
  /** the "Customer admin" role: when given, members' roles are refreshed too */
  adminRoleId?: () => Promise<string>,
): Promise<SyncOutcome> {
  const lease = await takeLease(db, tenantId);
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
      await db.query(
        `update members set role = case when user_id = any($2::text[]) then 'admin' else 'member' end
         where tenant_id = $1 and removed_at is null`,
        [tenantId, holders],
      );
    }
    // A complete scan saw every user of the tenant: mirrored users it did not see were deleted.
    const removed = complete
      ? (
          await db.query(
            "update members set removed_at = now() where tenant_id = $1 and removed_at is null and synced_at < $2",
            [tenantId, started],
          )
        ).rowCount
      : 0;
    const done = await db.query<{ synced_at: Date }>(
      "update member_sync set synced_at = $2, lease_until = null, last_error = null where tenant_id = $1 returning synced_at",
      [tenantId, started],
    );
    return {
      ran: true,
      syncedAt: done.rows[0]
        ? new Date(done.rows[0].synced_at).toISOString()
        : null,
      seen,
      removed,
    };
  } catch (error) {
    await db.query(
      "update member_sync set lease_until = null, last_error = $2 where tenant_id = $1",
      [
        tenantId,
        error instanceof Error ? error.message.slice(0, 500) : "failed",
      ],
    );
    throw error;
  }
}

export async function lastSyncedAt(
  q: Queryable,
  tenantId: string,
): Promise<Date | null> {
  const row = (
    await q.query<{ synced_at: Date | string | null }>(
      "select synced_at from member_sync where tenant_id = $1",
      [tenantId],
    )
  ).rows[0];
  return row?.synced_at ? new Date(row.synced_at) : null;
}

/** Starts a refresh in the background when the mirror is older than intervalSeconds; tracks it for shutdown. */
export function createBackgroundSync(
  db: Db,
  auth0: Auth0,
  log: FastifyBaseLogger,
  intervalSeconds: number,
  adminRoleId?: () => Promise<string>,
) {
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
