// Every statement on rate_budget and rate_budget_lanes (migrations 002, 005, 006): the shared
// Management API token bucket of rate-budget.ts, one row per Auth0 tenant, and the fair-share tags
// of its lanes (docs/decisions/009-fair-share-of-the-auth0-budget.md).
import type { Queryable } from "../db/db.ts";
import { runSql } from "../db/named-sql.ts";

export interface BudgetRow {
  tokens: number;
  rate: number | null;
  cap: number | null;
  vclock: number;
  elapsed_s: number;
  blocked_ms: number;
}

export interface LaneRow {
  lane: string;
  finish: number;
  waiting: boolean;
}

/** The bucket's row, created full (`tokens`) unless it exists. */
export async function ensureBudget(
  q: Queryable,
  p: { id: string; tokens: number },
): Promise<void> {
  await runSql(
    q,
    "insert into rate_budget (id, tokens) values (:id, :tokens) on conflict (id) do nothing",
    { ...p },
  );
}

/** Locks the budget row: every take, on every instance, is serialised here. */
export async function lockBudget(
  q: Queryable,
  id: string,
): Promise<BudgetRow | undefined> {
  const r = await runSql<BudgetRow>(
    q,
    `select tokens, rate, cap, vclock,
       greatest(0, extract(epoch from clock_timestamp() - updated_at))::float8 as elapsed_s,
       greatest(coalesce(extract(epoch from blocked_until - clock_timestamp()) * 1000, 0),
                coalesce(extract(epoch from updated_at - clock_timestamp()) * 1000, 0))::float8 as blocked_ms
     from rate_budget where id = :id for update`,
    { id },
  );
  return r.rows[0];
}

/** The caller's lane and every lane with a caller waiting right now. */
export async function activeLanes(
  q: Queryable,
  p: { id: string; lane: string },
): Promise<LaneRow[]> {
  const r = await runSql<LaneRow>(
    q,
    `select lane, finish, coalesce(waiting_until > clock_timestamp(), false) as waiting
     from rate_budget_lanes where budget_id = :id and (lane = :lane or waiting_until > clock_timestamp())`,
    { ...p },
  );
  return r.rows;
}

/** A grant: `tokens` left, the virtual clock at least `start` (the grant's start tag). */
export async function recordGrant(
  q: Queryable,
  p: { id: string; tokens: number; start: number },
): Promise<void> {
  await runSql(
    q,
    `update rate_budget set tokens = :tokens, updated_at = greatest(updated_at, clock_timestamp()),
       vclock = greatest(vclock, :start::float8)
     where id = :id`,
    { ...p },
  );
}

/** The granted lane's new finish tag; it no longer waits. */
export async function recordLaneGranted(
  q: Queryable,
  p: { id: string; lane: string; finish: number },
): Promise<void> {
  await runSql(
    q,
    `insert into rate_budget_lanes (budget_id, lane, finish, waiting_until) values (:id, :lane, :finish, null)
     on conflict (budget_id, lane) do update set finish = excluded.finish, waiting_until = null`,
    { ...p },
  );
}

/** The lane waits for waitingMs (how long its caller will keep polling). */
export async function recordLaneWaiting(
  q: Queryable,
  p: { id: string; lane: string; waitingMs: number },
): Promise<void> {
  await runSql(
    q,
    `insert into rate_budget_lanes (budget_id, lane, waiting_until)
     values (:id, :lane, clock_timestamp() + :waitingMs::float8 * interval '1 millisecond')
     on conflict (budget_id, lane) do update set waiting_until = excluded.waiting_until`,
    { ...p },
  );
}

/** The lane's caller stopped waiting. */
export async function recordLaneGaveUp(
  q: Queryable,
  p: { id: string; lane: string },
): Promise<void> {
  await runSql(
    q,
    "update rate_budget_lanes set waiting_until = null where budget_id = :id and lane = :lane",
    { ...p },
  );
}

/**
 * A 429: nothing until untilMs (epoch ms; refill restarts then), halve the rate, learn the bucket
 * size from X-RateLimit-Limit (`limit`, null when absent).
 */
export async function recordLimited(
  q: Queryable,
  p: {
    id: string;
    untilMs: number;
    burst: number;
    perSecond: number;
    limit: number | null;
  },
): Promise<void> {
  await runSql(
    q,
    `update rate_budget set tokens = 0,
       blocked_until = greatest(coalesce(blocked_until, to_timestamp(0)), to_timestamp(:untilMs::float8 / 1000)),
       updated_at = greatest(updated_at, clock_timestamp(), to_timestamp(:untilMs::float8 / 1000)),
       -- one halving per congestion event: the simultaneous 429s of one burst arrive while already blocked
       rate = case when blocked_until is null or blocked_until <= clock_timestamp()
         then greatest(:perSecond::float8 / 64, least(:perSecond::float8, coalesce(rate, :perSecond::float8)) / 2) else rate end,
       cap = least(:burst::float8, coalesce(cap, :burst::float8), coalesce(:limit::float8, :burst::float8))
     where id = :id`,
    { ...p },
  );
}

/**
 * A success: follow X-RateLimit-Remaining downwards; Remaining 0 blocks until `reset` (epoch s);
 * the rate creeps back up; the bucket size follows `limit` (null when absent).
 */
export async function recordObserved(
  q: Queryable,
  p: {
    id: string;
    remaining: number;
    burst: number;
    perSecond: number;
    reset: number | null;
    limit: number | null;
  },
): Promise<void> {
  await runSql(
    q,
    `update rate_budget set
       tokens = least(coalesce(:remaining::float8, 'infinity'::float8), least(:burst::float8, coalesce(cap, :burst::float8),
         tokens + greatest(0, extract(epoch from clock_timestamp() - updated_at)) * least(:perSecond::float8, coalesce(rate, :perSecond::float8)))),
       updated_at = greatest(updated_at, clock_timestamp()),
       blocked_until = case when :remaining::float8 = 0 and :reset::float8 is not null
         then greatest(coalesce(blocked_until, to_timestamp(0)), to_timestamp(:reset::float8)) else blocked_until end,
       rate = least(:perSecond::float8, coalesce(rate, :perSecond::float8) + :perSecond::float8 / 100),
       cap = least(:burst::float8, coalesce(:limit::float8, cap, :burst::float8))
     where id = :id`,
    { ...p },
  );
}
