// Every statement on import_batches (migration 003). A batch is worked on under a lease: claimed
// with FOR UPDATE SKIP LOCKED, so several workers (or BFF instances) never hold the same batch, and
// a killed worker's batch is taken over when its lease runs out. An advisory lock serialises claims
// so "≤ maxJobsInFlight jobs in flight" holds across instances. Every write of a claimed batch is
// guarded by LEASED below: false means the lease was lost and nothing was written.
import type { Db, Queryable } from "../db/db.ts";
import { runSql, type SqlParams } from "../db/named-sql.ts";

export type BatchState =
  "pending" | "submitting" | "submitted" | "done" | "failed";

export interface ClaimedBatch {
  id: string;
  import_id: string;
  tenant_id: string;
  state: BatchState;
  attempts: number;
  ambiguous: boolean;
  job_id: string | null;
  poll_delay_ms: number;
}

/** The batch a worker holds: the guard of every write below. */
export interface BatchLease {
  batchId: string;
  workerId: string;
}

/** Waiting before the batch is due again, and the reason the import shows meanwhile. */
export interface BatchWait {
  waitMs: number;
  reason: string;
}

const CLAIM_LOCK = 727_002;

/** A pending batch whose earlier submission may have left a job running in Auth0. */
const HOLDS_ORPHAN = "(ambiguous and intent_at is not null)";

/** The lease condition: this batch, still held by this worker. */
const LEASED = "id = :batchId and lease_owner = :workerId";

/** `now() + :name` milliseconds. */
const inMs = (name: string) =>
  `now() + :${name}::double precision * interval '1 millisecond'`;

export async function claimBatch(
  db: Db,
  p: { workerId: string; leaseMs: number; maxInFlight: number },
): Promise<ClaimedBatch | null> {
  return db.transaction(async (tx) => {
    await runSql(tx, "select pg_advisory_xact_lock(:lock)", {
      lock: CLAIM_LOCK,
    });
    const found = await runSql<ClaimedBatch>(
      tx,
      // In flight: submitted jobs, pending batches another worker has just claimed to submit (their
      // lease is live) — without those, two instances could each start a third job — and pending
      // batches whose last submission had an unknown outcome (ambiguous, intent recorded): Auth0 may
      // still run that orphan job until the batch is resubmitted and reconciled. Such a batch may
      // itself be claimed even when the count is full: it takes its own slot.
      `with inflight as (select count(*)::int as n from import_batches
         where state in ('submitting', 'submitted')
            or (state = 'pending' and (lease_until > now() or ${HOLDS_ORPHAN})))
       select b.id, b.import_id, b.tenant_id, b.state, b.attempts, b.ambiguous, b.job_id, b.poll_delay_ms
       from import_batches b, inflight
       where b.state in ('pending', 'submitting', 'submitted') and b.next_at <= now()
         and (b.lease_until is null or b.lease_until < now())
         and (b.state <> 'pending' or inflight.n < :maxInFlight or (b.ambiguous and b.intent_at is not null))
       order by case b.state when 'submitted' then 0 when 'submitting' then 1 else 2 end, b.next_at
       limit 1
       for update of b skip locked`,
      { maxInFlight: p.maxInFlight },
    );
    const batch = found.rows[0];
    if (!batch) return null;
    await runSql(
      tx,
      `update import_batches set lease_owner = :workerId, lease_until = ${inMs("leaseMs")}, updated_at = now()
       where id = :batchId`,
      { batchId: batch.id, workerId: p.workerId, leaseMs: p.leaseMs },
    );
    return batch;
  });
}

/** Extends the lease during a long step (checking users in Auth0); false = lease lost. */
export async function renewBatchLease(
  q: Queryable,
  lease: BatchLease,
  leaseMs: number,
): Promise<boolean> {
  const r = await runSql(
    q,
    `update import_batches set lease_until = ${inMs("leaseMs")} where ${LEASED}`,
    { ...lease, leaseMs },
  );
  return r.rowCount > 0;
}

/**
 * Records the intent to create the import job, BEFORE the call (the lease is kept): the attempt's
 * number, or undefined when the lease was lost.
 */
export async function recordSubmitIntent(
  q: Queryable,
  lease: BatchLease,
): Promise<number | undefined> {
  const r = await runSql<{ attempts: number }>(
    q,
    `update import_batches set state = 'submitting', attempts = attempts + 1, intent_at = now(), updated_at = now()
     where ${LEASED} returning attempts`,
    { ...lease },
  );
  return r.rows[0]?.attempts;
}

/** Writes `set` and gives the lease back, while this worker still holds it; false = lease lost. */
async function settleLeased(
  q: Queryable,
  lease: BatchLease,
  set: string,
  params: SqlParams = {},
): Promise<boolean> {
  const r = await runSql(
    q,
    `update import_batches set ${set}, lease_owner = null, lease_until = null, updated_at = now()
     where ${LEASED}`,
    { ...params, ...lease },
  );
  return r.rowCount > 0;
}

/** The batch has its outcome (or nothing left to submit). */
export function markBatchDone(q: Queryable, lease: BatchLease) {
  return settleLeased(q, lease, "state = 'done', waiting_reason = null");
}

/** The batch failed for good; its open rows fail with it (invitations.repository.ts). */
export function markBatchFailed(
  q: Queryable,
  lease: BatchLease,
  lastError: string,
) {
  return settleLeased(
    q,
    lease,
    "state = 'failed', waiting_reason = null, last_error = :lastError",
    { lastError },
  );
}

/** An unexpected error: the same step again later. */
export function releaseBatch(q: Queryable, lease: BatchLease, w: BatchWait) {
  return settleLeased(
    q,
    lease,
    `next_at = ${inMs("waitMs")}, waiting_reason = :reason`,
    { ...w },
  );
}

/** A worker died between recording the intent and learning the job id: reconcile after the grace. */
export function markSubmitInterrupted(
  q: Queryable,
  lease: BatchLease,
  graceMs: number,
) {
  return settleLeased(
    q,
    lease,
    `state = 'pending', ambiguous = true, job_id = null,
     next_at = greatest(now(), coalesce(intent_at, now()) + :graceMs::double precision * interval '1 millisecond'),
     waiting_reason = 'Checking an interrupted Auth0 import before retrying'`,
    { graceMs },
  );
}

/** Auth0 has the job: poll it after pollMs. */
export function markBatchSubmitted(
  q: Queryable,
  lease: BatchLease,
  p: { jobId: string; pollMs: number },
) {
  return settleLeased(
    q,
    lease,
    `state = 'submitted', job_id = :jobId, next_at = ${inMs("pollMs")},
     poll_delay_ms = :pollMs, waiting_reason = null`,
    { ...p },
  );
}

/** Auth0 answered before creating anything (429, imports busy): pending again, the attempt given back. */
export function retryUnattempted(
  q: Queryable,
  lease: BatchLease,
  w: BatchWait,
) {
  return settleLeased(
    q,
    lease,
    `state = 'pending', attempts = attempts - 1, next_at = ${inMs("waitMs")}, waiting_reason = :reason`,
    { ...w },
  );
}

/** The job creation had an unknown outcome: pending again, ambiguous (reconciled on resubmission). */
export function markSubmitAmbiguous(
  q: Queryable,
  lease: BatchLease,
  w: BatchWait,
) {
  return settleLeased(
    q,
    lease,
    `state = 'pending', ambiguous = true, next_at = ${inMs("waitMs")}, waiting_reason = :reason`,
    { ...w },
  );
}

/** The job did not complete (failed, unknown to Auth0): submit again, ambiguous, without the job. */
export function markForResubmission(
  q: Queryable,
  lease: BatchLease,
  w: BatchWait,
) {
  return settleLeased(
    q,
    lease,
    `state = 'pending', ambiguous = true, job_id = null, next_at = ${inMs("waitMs")}, waiting_reason = :reason`,
    { ...w },
  );
}

/** The job still runs: poll again after waitMs, then after nextDelayMs. */
export function pollBatchLater(
  q: Queryable,
  lease: BatchLease,
  p: { waitMs: number; nextDelayMs: number },
) {
  return settleLeased(
    q,
    lease,
    `next_at = ${inMs("waitMs")}, poll_delay_ms = :nextDelayMs, waiting_reason = null`,
    { ...p },
  );
}

/**
 * Auth0 refused the BFF (configuration): re-probe after waitMs, backing off through poll_delay_ms.
 * `giveBackAttempt`: the refused call was a submission, which is pending again without an attempt.
 */
export function pauseBatch(
  q: Queryable,
  lease: BatchLease,
  p: BatchWait & { pollDelayMs: number; giveBackAttempt: boolean },
) {
  const { giveBackAttempt, ...params } = p;
  return settleLeased(
    q,
    lease,
    `${giveBackAttempt ? "state = 'pending', attempts = attempts - 1," : ""} next_at = ${inMs("waitMs")},
     poll_delay_ms = :pollDelayMs, waiting_reason = :reason`,
    params,
  );
}

/** The other unleased batches in `state` wait at least as long, showing the same reason. */
export async function pauseOtherBatches(
  q: Queryable,
  p: BatchWait & { batchId: string; state: BatchState },
): Promise<void> {
  await runSql(
    q,
    `update import_batches set next_at = greatest(next_at, ${inMs("waitMs")}),
       waiting_reason = :reason, updated_at = now()
     where id <> :batchId and state = :state and (lease_until is null or lease_until < now())`,
    { ...p },
  );
}

/** The batches of a new import, pending, numbered in the order given. */
export async function insertBatches(
  q: Queryable,
  p: { importId: string; tenantId: string; batchIds: readonly string[] },
): Promise<void> {
  await runSql(
    q,
    `insert into import_batches (id, import_id, tenant_id, seq, state)
     select id, :importId, :tenantId, seq, 'pending' from unnest(:batchIds::uuid[]) with ordinality as b(id, seq)`,
    { ...p },
  );
}

/** One more batch for an import, after its last one, ambiguous (rows of an expired job). */
export async function insertFollowUpBatch(
  q: Queryable,
  p: { batchId: string; importId: string; tenantId: string },
): Promise<void> {
  await runSql(
    q,
    `insert into import_batches (id, import_id, tenant_id, seq, state, ambiguous)
     select :batchId, :importId, :tenantId, coalesce(max(seq), 0) + 1, 'pending', true
     from import_batches where import_id = :importId`,
    { ...p },
  );
}
