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
import {
  hitRequestLimit,
  pruneRequestLimits,
} from "./request-limits.repository.ts";

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
      hitRequestLimit(db, { key: `${namespace}:${key}`, windowMs }).then(
        (row) => {
          callback(null, {
            current: Number(row?.hits ?? 1),
            ttl: Math.ceil(Number(row?.ttl_ms ?? windowMs)),
          });
          if (Math.random() * PRUNE_EVERY < 1)
            pruneRequestLimits(db).catch(() => undefined);
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
