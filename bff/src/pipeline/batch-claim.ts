// Claiming import batches: FOR UPDATE SKIP LOCKED + a lease, so several workers (or BFF instances)
// never hold the same batch, and a killed worker's batch is taken over when its lease runs out.
// An advisory lock serialises claims so "≤ maxJobsInFlight jobs in flight" holds across instances.
import type { Db, Queryable } from "../db/db.ts";

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

const CLAIM_LOCK = 727_002;

/** A pending batch whose earlier submission may have left a job running in Auth0. */
const HOLDS_ORPHAN = "(ambiguous and intent_at is not null)";

export async function claimBatch(
  db: Db,
  workerId: string,
  leaseMs: number,
  maxInFlight: number,
): Promise<ClaimedBatch | null> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [CLAIM_LOCK]);
    const found = await tx.query<ClaimedBatch>(
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
         and (b.state <> 'pending' or inflight.n < $1 or (b.ambiguous and b.intent_at is not null))
       order by case b.state when 'submitted' then 0 when 'submitting' then 1 else 2 end, b.next_at
       limit 1
       for update of b skip locked`,
      [maxInFlight],
    );
    const batch = found.rows[0];
    if (!batch) return null;
    await tx.query(
      `update import_batches set lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
       where id = $1`,
      [batch.id, workerId, leaseMs],
    );
    return batch;
  });
}

/** Updates the batch only while this worker still holds its lease; false = lease lost. */
export async function updateLeased(
  q: Queryable,
  batchId: string,
  workerId: string,
  set: string,
  params: unknown[] = [],
): Promise<boolean> {
  const r = await q.query(
    `update import_batches set ${set}, lease_owner = null, lease_until = null, updated_at = now()
     where id = $1 and lease_owner = $2`,
    [batchId, workerId, ...params],
  );
  return r.rowCount > 0;
}

/** `now() + ms` as SQL, for a numbered parameter holding milliseconds. */
export function inMs(param: number): string {
  return `now() + $${param}::double precision * interval '1 millisecond'`;
}
