// A store for @fastify/rate-limit kept in Postgres (table request_limits, migration 005), so a
// limit holds across every BFF instance: 120 mutations a minute per user means 120 in total, not
// 120 per instance (docs/decisions/009-fair-share-of-the-auth0-budget.md). Fixed windows, like the
// plugin's own in-memory store: the first hit of a key opens a window of `timeWindow` ms, later
// hits count up until it ends. One atomic upsert per request.
import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from "@fastify/rate-limit";
import type { Queryable } from "./db/db.ts";

// $1 key, $2 window length (ms). Returns the count in the current window and the ms left in it.
const HIT_SQL = `
  insert into request_limits as r (key, hits, resets_at)
  values ($1, 1, clock_timestamp() + $2::float8 * interval '1 millisecond')
  on conflict (key) do update set
    hits = case when r.resets_at <= clock_timestamp() then 1 else r.hits + 1 end,
    resets_at = case when r.resets_at <= clock_timestamp() then excluded.resets_at else r.resets_at end
  returning hits, greatest(0, extract(epoch from resets_at - clock_timestamp()) * 1000)::float8 as ttl_ms`;

const PRUNE_SQL = `delete from request_limits where resets_at < clock_timestamp() - interval '1 hour'`;
/** About one request in this many also deletes long-expired windows. */
const PRUNE_EVERY = 500;

/**
 * The store class for `rateLimit({ store })`. `namespace` separates limits that share a key
 * (the same IP on /api and on the invitee's pages).
 */
export function sharedRequestLimits(
  db: Queryable,
  namespace: string,
): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (
        error: Error | null,
        result?: { current: number; ttl: number },
      ) => void,
      // the plugin passes the route's window (ms) on every call
      timeWindow = 60_000,
    ): void {
      const windowMs = timeWindow;
      db.query<{ hits: number; ttl_ms: number }>(HIT_SQL, [
        `${namespace}:${key}`,
        windowMs,
      ]).then(
        (r) => {
          const row = r.rows[0];
          callback(null, {
            current: Number(row?.hits ?? 1),
            ttl: Math.ceil(Number(row?.ttl_ms ?? windowMs)),
          });
          if (Math.random() * PRUNE_EVERY < 1)
            db.query(PRUNE_SQL).catch(() => undefined);
        },
        (error: unknown) =>
          callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(): FastifyRateLimitStore {
      return new SharedStore();
    }
  }
  return SharedStore;
}
