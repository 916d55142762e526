// The shared Management API budget: a token bucket kept in one Postgres row, so every BFF instance
// draws from the same bucket. Tokens are recomputed from elapsed time inside one atomic
// `update … returning` (row lock), never above the configured plan. Responses feed back
// X-RateLimit-Remaining (tokens only go down) and a 429 blocks everyone until X-RateLimit-Reset.
import type { RatePlan } from "../config.ts";
import type { Queryable } from "../db/db.ts";
import { AppError } from "../errors.ts";
import type { RateLimiter } from "./types.ts";

// $1 id, $2 n, $3 plan burst, $4 plan rate. The learned cap/rate never exceed the plan.
const TAKE_SQL = `
  with cur as (
    select r.id, c.ts, r.blocked_until,
      least($3::float8, coalesce(r.cap, $3::float8),
        r.tokens + greatest(0, extract(epoch from c.ts - r.updated_at)) * least($4::float8, coalesce(r.rate, $4::float8))) as avail,
      least($4::float8, coalesce(r.rate, $4::float8)) as rate
    from rate_budget r, (select clock_timestamp() as ts) c
    where r.id = $1 for update of r
  ), decided as (
    select *, (avail >= $2::float8 and (blocked_until is null or blocked_until <= ts)) as ok from cur
  )
  update rate_budget r set tokens = case when d.ok then d.avail - $2::float8 else d.avail end,
    updated_at = greatest(d.ts, r.updated_at)
  from decided d where r.id = d.id
  returning d.ok as granted, d.avail as avail, d.rate as rate,
    greatest(coalesce(extract(epoch from d.blocked_until - d.ts) * 1000, 0),
             coalesce(extract(epoch from r.updated_at - d.ts) * 1000, 0))::float8 as blocked_ms`;

// On 429: nothing until Reset (refill restarts then), halve the rate, learn the bucket size.
const LIMITED_SQL = `
  update rate_budget set tokens = 0,
    blocked_until = greatest(coalesce(blocked_until, to_timestamp(0)), to_timestamp($2::float8 / 1000)),
    updated_at = greatest(updated_at, clock_timestamp(), to_timestamp($2::float8 / 1000)),
    -- one halving per congestion event: the simultaneous 429s of one burst arrive while already blocked
    rate = case when blocked_until is null or blocked_until <= clock_timestamp()
      then greatest($4::float8 / 64, least($4::float8, coalesce(rate, $4::float8)) / 2) else rate end,
    cap = least($3::float8, coalesce(cap, $3::float8), coalesce($5::float8, $3::float8))
  where id = $1`;

// On success: follow Remaining downwards; Remaining 0 blocks until Reset; the rate creeps back up.
const OBSERVED_SQL = `
  update rate_budget set
    tokens = least(coalesce($2::float8, 'infinity'::float8), least($3::float8, coalesce(cap, $3::float8),
      tokens + greatest(0, extract(epoch from clock_timestamp() - updated_at)) * least($4::float8, coalesce(rate, $4::float8)))),
    updated_at = greatest(updated_at, clock_timestamp()),
    blocked_until = case when $2::float8 = 0 and $5::float8 is not null
      then greatest(coalesce(blocked_until, to_timestamp(0)), to_timestamp($5::float8)) else blocked_until end,
    rate = least($4::float8, coalesce(rate, $4::float8) + $4::float8 / 100),
    cap = least($3::float8, coalesce($6::float8, cap, $3::float8))
  where id = $1`;

export interface RateBudgetOptions {
  /** one bucket per Auth0 tenant; default "auth0-management" */
  id?: string;
  /** wait cap for acquire() unless the caller passes one; default 30 s */
  maxWaitMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted)
      return reject(
        signal.reason instanceof Error ? signal.reason : new Error("aborted"),
      );
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        signal?.reason instanceof Error ? signal.reason : new Error("aborted"),
      );
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function createRateBudget(
  db: Queryable,
  plan: RatePlan,
  options: RateBudgetOptions = {},
): RateLimiter {
  const id = options.id ?? "auth0-management";
  const defaultMaxWait = options.maxWaitMs ?? 30_000;
  let ensured: Promise<unknown> | null = null;
  const ensure = () =>
    (ensured ??= db.query(
      "insert into rate_budget (id, tokens) values ($1, $2) on conflict (id) do nothing",
      [id, plan.burst],
    ));

  async function tryAcquire(
    n = 1,
  ): Promise<{ granted: true } | { granted: false; retryInMs: number }> {
    await ensure();
    // A request for more than the bucket can ever hold is capped at the bucket size.
    const want = Math.min(Math.max(n, 0), plan.burst);
    const row = (
      await db.query<{
        granted: boolean;
        avail: number;
        rate: number;
        blocked_ms: number;
      }>(TAKE_SQL, [id, want, plan.burst, plan.perSecond])
    ).rows[0];
    if (!row) throw new Error(`rate budget row ${id} is missing`);
    if (row.granted) return { granted: true };
    const refillMs = ((want - Number(row.avail)) / Number(row.rate)) * 1000;
    return {
      granted: false,
      retryInMs: Math.max(
        5,
        Math.ceil(Math.max(refillMs, Number(row.blocked_ms))),
      ),
    };
  }

  return {
    tryAcquire,
    async acquire(n = 1, opts = {}) {
      const deadline = Date.now() + (opts.maxWaitMs ?? defaultMaxWait);
      for (;;) {
        const r = await tryAcquire(n);
        if (r.granted) return;
        if (Date.now() + r.retryInMs > deadline) {
          throw new AppError(
            "rate_limited",
            "The Auth0 Management API budget is exhausted; try again shortly",
            undefined,
            {
              retryAfterSeconds: r.retryInMs / 1000,
            },
          );
        }
        // Small jitter so waiting instances do not all hit the row at the same millisecond.
        await sleep(
          Math.min(r.retryInMs, 1_000) + Math.floor(Math.random() * 10),
          opts.signal,
        );
      }
    },
    async observe(status, headers) {
      await ensure();
      const reset = headerNumber(headers, "x-ratelimit-reset");
      const limit = headerNumber(headers, "x-ratelimit-limit");
      if (status === 429) {
        const untilMs =
          reset !== null && reset * 1000 > Date.now()
            ? reset * 1000
            : Date.now() + 1_000;
        await db.query(LIMITED_SQL, [
          id,
          untilMs,
          plan.burst,
          plan.perSecond,
          limit && limit > 0 ? limit : null,
        ]);
        return;
      }
      const remaining = headerNumber(headers, "x-ratelimit-remaining");
      if (remaining === null) return;
      // Auth0 knows about callers we do not (other apps, the dashboard): follow it downwards only.
      await db.query(OBSERVED_SQL, [
        id,
        remaining,
        plan.burst,
        plan.perSecond,
        reset,
        limit && limit > 0 ? limit : null,
      ]);
    },
  };
}
