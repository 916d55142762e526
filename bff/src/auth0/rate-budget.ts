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
import {
  activeLanes,
  ensureBudget,
  lockBudget,
  recordGrant,
  recordLaneGaveUp,
  recordLaneGranted,
  recordLaneWaiting,
  recordLimited,
  recordObserved,
  type LaneRow,
} from "./rate-budget.repository.ts";
import type { RateLimiter } from "./types.ts";

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
    (ensured ??= ensureBudget(db, { id, tokens: plan.burst }));

  /**
   * One attempt at n tokens for `lane`, under the budget row's lock. `waitingMs` > 0 marks the
   * lane as waiting for that long when refused, so that other lanes hold a token for it.
   */
  async function take(n: number, lane: Lane, waitingMs: number): Promise<Take> {
    await ensure();
    return db.transaction(async (tx) => {
      const row = await lockBudget(tx, id);
      if (!row) throw new Error(`rate budget row ${id} is missing`);
      const rate = Math.min(plan.perSecond, Number(row.rate ?? plan.perSecond));
      const cap = Math.min(plan.burst, Number(row.cap ?? plan.burst));
      const avail = Math.min(
        cap,
        Number(row.tokens) + Number(row.elapsed_s) * rate,
      );
      // A request for more than the bucket can ever hold is capped at the bucket size.
      const want = Math.min(Math.max(n, 0), cap);

      const lanes = await activeLanes(tx, { id, lane });
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
        await recordGrant(tx, { id, tokens: avail - want, start });
        await recordLaneGranted(tx, { id, lane, finish: start + want });
        return { granted: true };
      }
      if (waitingMs > 0) await recordLaneWaiting(tx, { id, lane, waitingMs });
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
        await recordLaneGaveUp(db, { id, lane });
        throw exhausted(r.retryInMs);
      }
      // Small jitter so waiting instances do not all hit the row at the same millisecond.
      await sleep(
        Math.min(r.retryInMs, MAX_POLL_MS) + Math.floor(Math.random() * 10),
        signal,
      ).catch(async (error: unknown) => {
        await recordLaneGaveUp(db, { id, lane });
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
        await recordLimited(db, {
          id,
          untilMs,
          burst: plan.burst,
          perSecond: plan.perSecond,
          limit: limit && limit > 0 ? limit : null,
        });
        return;
      }
      const remaining = headerNumber(headers, "x-ratelimit-remaining");
      if (remaining === null) return;
      // Auth0 knows about callers we do not (other apps, the dashboard): follow it downwards only.
      await recordObserved(db, {
        id,
        remaining,
        burst: plan.burst,
        perSecond: plan.perSecond,
        reset,
        limit: limit && limit > 0 ? limit : null,
      });
    },
  };
}
