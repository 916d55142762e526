// The shared Management API budget: a token bucket kept in one Postgres row, so every BFF instance
// draws from the same bucket. Tokens are recomputed from elapsed time under the row lock, never
// above the configured plan. Responses feed back X-RateLimit-Remaining (tokens only go down) and a
// 429 blocks everyone until X-RateLimit-Reset.
//
// Fair share (docs/decisions/009-fair-share-of-the-auth0-budget.md): every acquisition names a lane
// (lanes.ts). Lanes are served by start-time fair queueing across all instances: each lane carries
// a virtual finish tag (rate_budget_lanes), a waiting lane's start tag is max(vclock, finish), and
// a lane may take a token only if the bucket still holds one for every waiting lane whose start
// tag is smaller (they are ahead in line). A lane that bursts raises its own finish tag and falls
// behind everyone else; a lane that was idle cannot bank credit (its start is at least vclock).
// Tokens nobody ahead is waiting for are lent to whoever asks. The invitee lane (accept, tickets)
// is first in line whenever it waits, and has reserved headroom: other lanes never take the
// bucket below `inviteeHeadroom` tokens.
import type { RatePlan } from "../config.ts";
import type { Db } from "../db/db.ts";
import { AppError } from "../errors.ts";
import type { Lane } from "./lanes.ts";
import type { RateLimiter } from "./types.ts";

// $1 id. Locks the budget row: every take, on every instance, is serialised here.
const LOCK_BUDGET_SQL = `
  select tokens, rate, cap, vclock,
    greatest(0, extract(epoch from clock_timestamp() - updated_at))::float8 as elapsed_s,
    greatest(coalesce(extract(epoch from blocked_until - clock_timestamp()) * 1000, 0),
             coalesce(extract(epoch from updated_at - clock_timestamp()) * 1000, 0))::float8 as blocked_ms
  from rate_budget where id = $1 for update`;

// $1 id, $2 lane: the caller's lane and every lane with a caller waiting right now.
const LANES_SQL = `
  select lane, finish, coalesce(waiting_until > clock_timestamp(), false) as waiting
  from rate_budget_lanes where budget_id = $1 and (lane = $2 or waiting_until > clock_timestamp())`;

// $1 id, $2 tokens left, $3 start tag of this grant.
const GRANT_SQL = `
  update rate_budget set tokens = $2, updated_at = greatest(updated_at, clock_timestamp()),
    vclock = greatest(vclock, $3::float8)
  where id = $1`;

// $1 id, $2 lane, $3 new finish tag.
const LANE_GRANTED_SQL = `
  insert into rate_budget_lanes (budget_id, lane, finish, waiting_until) values ($1, $2, $3, null)
  on conflict (budget_id, lane) do update set finish = excluded.finish, waiting_until = null`;

// $1 id, $2 lane, $3 how long the caller will keep polling (ms).
const LANE_WAITING_SQL = `
  insert into rate_budget_lanes (budget_id, lane, waiting_until)
  values ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
  on conflict (budget_id, lane) do update set waiting_until = excluded.waiting_until`;

const LANE_GAVE_UP_SQL = `
  update rate_budget_lanes set waiting_until = null where budget_id = $1 and lane = $2`;

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
  /**
   * Tokens only the invitee lane may spend (accept, tickets); default: a fifth of the burst,
   * rounded down, always less than the burst (so other lanes keep the plan's sustained rate).
   */
  inviteeHeadroom?: number;
}

/**
 * The default reserved headroom of the invitee lane: a fifth of the burst, rounded down (Free: 0,
 * Essentials: 2, Enterprise: 10). On top of it, a waiting invitee is always first in line.
 */
export function defaultInviteeHeadroom(plan: RatePlan): number {
  return Math.max(
    0,
    Math.min(Math.floor(plan.burst / 5), Math.ceil(plan.burst) - 1),
  );
}

/** Longest sleep between two polls of a waiting caller. */
const MAX_POLL_MS = 1_000;
/** How long a waiting caller's mark outlives its next poll (slow event loop, slow query). */
const WAITING_MARGIN_MS = 500;

interface BudgetRow {
  tokens: number;
  rate: number | null;
  cap: number | null;
  vclock: number;
  elapsed_s: number;
  blocked_ms: number;
}
interface LaneRow {
  lane: string;
  finish: number;
  waiting: boolean;
}
type Take = { granted: true } | { granted: false; retryInMs: number };

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

/** Resolves true when `before` settles by the deadline, false when the deadline comes first. */
async function turnBefore(
  before: Promise<void>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([
      before.then(() => true),
      sleep(Math.max(0, deadline - Date.now()), controller.signal).then(
        () => false,
        (error: unknown) => {
          if (signal?.aborted) throw error;
          return false; // our own abort below, after the race was decided
        },
      ),
    ]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    controller.abort(); // stops the timer
  }
}

function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function createRateBudget(
  db: Db,
  plan: RatePlan,
  options: RateBudgetOptions = {},
): RateLimiter {
  const id = options.id ?? "auth0-management";
  const defaultMaxWait = options.maxWaitMs ?? 30_000;
  const inviteeHeadroom =
    options.inviteeHeadroom ?? defaultInviteeHeadroom(plan);
  let ensured: Promise<unknown> | null = null;
  const ensure = () =>
    (ensured ??= db.query(
      "insert into rate_budget (id, tokens) values ($1, $2) on conflict (id) do nothing",
      [id, plan.burst],
    ));

  /**
   * One attempt at n tokens for `lane`, under the budget row's lock. `waitingMs` > 0 marks the
   * lane as waiting for that long when refused, so that other lanes hold a token for it.
   */
  async function take(n: number, lane: Lane, waitingMs: number): Promise<Take> {
    await ensure();
    return db.transaction(async (tx) => {
      const row = (await tx.query<BudgetRow>(LOCK_BUDGET_SQL, [id])).rows[0];
      if (!row) throw new Error(`rate budget row ${id} is missing`);
      const rate = Math.min(plan.perSecond, Number(row.rate ?? plan.perSecond));
      const cap = Math.min(plan.burst, Number(row.cap ?? plan.burst));
      const avail = Math.min(
        cap,
        Number(row.tokens) + Number(row.elapsed_s) * rate,
      );
      // A request for more than the bucket can ever hold is capped at the bucket size.
      const want = Math.min(Math.max(n, 0), cap);

      const lanes = (await tx.query<LaneRow>(LANES_SQL, [id, lane])).rows;
      const vclock = Number(row.vclock);
      const startOf = (l: LaneRow | undefined) =>
        Math.max(vclock, Number(l?.finish ?? 0));
      const start = startOf(lanes.find((l) => l.lane === lane));
      const priority = lane === "invitee";
      // Waiting lanes ahead in line: the bucket keeps one token for each of them. A waiting
      // invitee is always ahead of the others.
      const ahead = priority
        ? 0
        : lanes.filter(
            (l) =>
              l.lane !== lane &&
              l.waiting &&
              (l.lane === "invitee" || startOf(l) < start),
          ).length;
      const headroom = priority
        ? 0
        : Math.min(inviteeHeadroom, Math.max(0, cap - want));
      const need = want + headroom + ahead;
      const blockedMs = Number(row.blocked_ms);

      if (blockedMs <= 0 && avail >= need) {
        await tx.query(GRANT_SQL, [id, avail - want, start]);
        await tx.query(LANE_GRANTED_SQL, [id, lane, start + want]);
        return { granted: true };
      }
      if (waitingMs > 0)
        await tx.query(LANE_WAITING_SQL, [id, lane, waitingMs]);
      const refillMs = ((need - avail) / rate) * 1000;
      return {
        granted: false,
        retryInMs: Math.max(5, Math.ceil(Math.max(refillMs, blockedMs))),
      };
    });
  }

  const tryAcquire = (n = 1, lane: Lane = "system") => take(n, lane, 0);

  const exhausted = (retryInMs: number) =>
    new AppError(
      "rate_limited",
      "The Auth0 Management API budget is exhausted; try again shortly",
      undefined,
      { retryAfterSeconds: retryInMs / 1000 },
    );

  /** Takes n tokens for lane, polling, or throws once the wait would pass the deadline. */
  async function poll(
    n: number,
    lane: Lane,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (;;) {
      const r = await take(n, lane, MAX_POLL_MS + WAITING_MARGIN_MS);
      if (r.granted) return;
      if (Date.now() + r.retryInMs > deadline) {
        // No longer waiting: other lanes need not hold a token for this one.
        await db.query(LANE_GAVE_UP_SQL, [id, lane]);
        throw exhausted(r.retryInMs);
      }
      // Small jitter so waiting instances do not all hit the row at the same millisecond.
      await sleep(
        Math.min(r.retryInMs, MAX_POLL_MS) + Math.floor(Math.random() * 10),
        signal,
      ).catch(async (error: unknown) => {
        await db.query(LANE_GAVE_UP_SQL, [id, lane]);
        throw error;
      });
    }
  }
  const queues = new Map<Lane, Promise<void>>();

  return {
    tryAcquire,
    async acquire(n = 1, opts = {}) {
      const lane = opts.lane ?? "system";
      const deadline = Date.now() + (opts.maxWaitMs ?? defaultMaxWait);
      // One poller per lane in this process: later callers of the same lane queue here, in
      // order, instead of all polling the budget row (a burst of 20 would otherwise hold the
      // connections another lane's poll needs).
      const before = queues.get(lane) ?? Promise.resolve();
      let done = () => {};
      const mine = new Promise<void>((resolve) => (done = resolve));
      const tail = before.then(() => mine);
      queues.set(lane, tail);
      try {
        if (!(await turnBefore(before, deadline, opts.signal)))
          throw exhausted(1_000);
        await poll(n, lane, deadline, opts.signal);
      } finally {
        done();
        if (queues.get(lane) === tail) queues.delete(lane);
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
