// Every statement on request_limits (migration 005): fixed windows of the shared request limits
// (request-limits.ts), one row per key.
import type { Queryable } from "./db/db.ts";
import { runSql } from "./db/named-sql.ts";

/**
 * Counts one hit of `key`: the first hit opens a window of windowMs, later hits count up until it
 * ends. One atomic upsert; the count in the current window and the ms left in it.
 */
export async function hitRequestLimit(
  q: Queryable,
  p: { key: string; windowMs: number },
): Promise<{ hits: number; ttl_ms: number } | undefined> {
  const r = await runSql<{ hits: number; ttl_ms: number }>(
    q,
    `insert into request_limits as r (key, hits, resets_at)
     values (:key, 1, clock_timestamp() + :windowMs::float8 * interval '1 millisecond')
     on conflict (key) do update set
       hits = case when r.resets_at <= clock_timestamp() then 1 else r.hits + 1 end,
       resets_at = case when r.resets_at <= clock_timestamp() then excluded.resets_at else r.resets_at end
     returning hits, greatest(0, extract(epoch from resets_at - clock_timestamp()) * 1000)::float8 as ttl_ms`,
    { ...p },
  );
  return r.rows[0];
}

/** Deletes windows that ended more than an hour ago. */
export async function pruneRequestLimits(q: Queryable): Promise<void> {
  await runSql(
    q,
    "delete from request_limits where resets_at < clock_timestamp() - interval '1 hour'",
  );
}
