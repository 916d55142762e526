// One step of the import-batch state machine (see docs/decisions: pipeline). Job creation is never
// retried blindly: the intent is recorded before the call, and any unknown outcome (crash, timeout,
// 5xx, failed job) marks the batch "ambiguous". A resubmitted ambiguous batch cannot create
// duplicates (upsert=false and our own user_id make Auth0 refuse them); its DUPLICATED_USER rows
// are then checked against the user_id we chose, so a row created by the lost attempt counts as ours.
import { isAppError } from "../errors.ts";
import {
  claimBatch,
  inMs,
  updateLeased,
  type ClaimedBatch,
} from "./batch-claim.ts";
import {
  applyOutcome,
  asImportRow,
  failBatch,
  openRows,
} from "./batch-outcome.ts";
import { checkBulkUser, toBulkUser } from "./import-file.ts";
import { inLane, tenantLane } from "../auth0/lanes.ts";
import { indexJobErrors } from "./job-errors.ts";
import type { PipelineContext } from "./options.ts";
import { backoff, retryDelay, waitingText } from "./retry.ts";

export async function runBatchStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options } = ctx;
  const batch = await claimBatch(
    db,
    options.workerId,
    options.leaseMs,
    options.maxJobsInFlight,
  );
  if (!batch) return false;
  try {
    // The tenant's own lane of the Auth0 budget: one tenant's imports cannot starve another's.
    await inLane(tenantLane(batch.tenant_id), async () => {
      if (batch.state === "submitting") await recoverInterrupted(ctx, batch);
      else if (batch.state === "pending") await submit(ctx, batch);
      else await poll(ctx, batch);
    });
  } catch (error) {
    // Anything unexpected: release the batch for a later retry; the lease guard keeps it safe.
    ctx.log.error({ err: error, batch: batch.id }, "import batch step failed");
    const wait = retryDelay(error, 2_000);
    await updateLeased(
      db,
      batch.id,
      options.workerId,
      `next_at = ${inMs(3)}, waiting_reason = $4`,
      [wait, waitingText(error, wait)],
    );
  }
  return true;
}

/** A worker died between recording the intent and learning the job id. */
async function recoverInterrupted(
  ctx: PipelineContext,
  b: ClaimedBatch,
): Promise<void> {
  ctx.log.warn(
    { batch: b.id },
    "import batch was interrupted during submission; will reconcile",
  );
  await updateLeased(
    ctx.db,
    b.id,
    ctx.options.workerId,
    `state = 'pending', ambiguous = true, job_id = null,
     next_at = greatest(now(), coalesce(intent_at, now()) + $3::double precision * interval '1 millisecond'),
     waiting_reason = 'Checking an interrupted Auth0 import before retrying'`,
    [ctx.options.reconcileGraceMs],
  );
}

async function submit(ctx: PipelineContext, b: ClaimedBatch): Promise<void> {
  const { db, options } = ctx;
  const rows = await openRows(ctx, b.id);
  if (rows.length === 0) {
    await updateLeased(
      db,
      b.id,
      options.workerId,
      "state = 'done', waiting_reason = null",
    );
    return;
  }
  const users = rows.map((r) => toBulkUser(asImportRow(r), b.tenant_id));
  const bad = users.map(checkBulkUser).find((e) => e !== null);
  if (bad) throw new Error(`refusing to submit an invalid import file: ${bad}`);
  // Record the intent BEFORE the call: if we die during it, the batch is known to be ambiguous.
  const intent = await db.query<{ attempts: number }>(
    `update import_batches set state = 'submitting', attempts = attempts + 1, intent_at = now(), updated_at = now()
     where id = $1 and lease_owner = $2 returning attempts`,
    [b.id, options.workerId],
  );
  const attempt = intent.rows[0]?.attempts;
  if (attempt === undefined) return;
  let jobId: string;
  try {
    ({ jobId } = await ctx.auth0.createUsersImportJob({
      users,
      externalId: `${b.id}:${attempt}`,
    }));
  } catch (error) {
    await submitFailed(ctx, b, attempt, error);
    return;
  }
  await db.transaction(async (tx) => {
    const ok = await updateLeased(
      tx,
      b.id,
      options.workerId,
      `state = 'submitted', job_id = $3, next_at = ${inMs(4)},
       poll_delay_ms = $4, waiting_reason = null`,
      [jobId, options.pollMinMs],
    );
    if (ok) {
      await tx.query(
        `update invitations set state = 'importing', job_id = $2, updated_at = now() where batch_id = $1 and state = 'queued'`,
        [b.id, jobId],
      );
    }
  });
}

async function submitFailed(
  ctx: PipelineContext,
  b: ClaimedBatch,
  attempt: number,
  error: unknown,
): Promise<void> {
  const { db, options } = ctx;
  const code = isAppError(error) ? error.code : "internal";
  if (code === "rate_limited") {
    // A 429 is answered before anything is created: not ambiguous, and it does not use up an attempt.
    const wait = retryDelay(error, 1_000);
    await updateLeased(
      db,
      b.id,
      options.workerId,
      `state = 'pending', attempts = attempts - 1, next_at = ${inMs(3)}, waiting_reason = $4`,
      [wait, waitingText(error, wait)],
    );
    return;
  }
  if (
    code === "validation" ||
    code === "payload_too_large" ||
    code === "forbidden" ||
    code === "unauthorized"
  ) {
    const message = error instanceof Error ? error.message : "rejected";
    await failBatch(
      ctx,
      b,
      "IMPORT_REJECTED",
      `Auth0 rejected the import (${message}); contact support`,
    );
    return;
  }
  if (attempt >= options.maxSubmitAttempts) {
    await failBatch(
      ctx,
      b,
      "AUTH0_UNAVAILABLE",
      "Auth0 did not accept the import after several attempts; invite again later",
    );
    return;
  }
  const wait = Math.max(options.reconcileGraceMs, backoff(attempt));
  ctx.log.warn(
    { batch: b.id, attempt, code },
    "import job creation had an unknown outcome; will reconcile",
  );
  await updateLeased(
    db,
    b.id,
    options.workerId,
    `state = 'pending', ambiguous = true, next_at = ${inMs(3)}, waiting_reason = $4`,
    [
      wait,
      `Auth0 did not confirm the import (${code}); retrying in ${Math.ceil(wait / 1000)} s`,
    ],
  );
}

async function poll(ctx: PipelineContext, b: ClaimedBatch): Promise<void> {
  const { db, options, auth0 } = ctx;
  const jobId = b.job_id ?? "";
  let job;
  try {
    job = await auth0.getJob(jobId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found")
      return resubmitAmbiguous(ctx, b, "Auth0 no longer knows the import job");
    throw error;
  }
  if (job.status === "pending" || job.status === "processing") {
    const next = Math.min(Math.round(b.poll_delay_ms * 1.6), options.pollMaxMs);
    await updateLeased(
      db,
      b.id,
      options.workerId,
      `next_at = ${inMs(3)}, poll_delay_ms = $4, waiting_reason = null`,
      [b.poll_delay_ms, next],
    );
    return;
  }
  if (job.status !== "completed")
    return resubmitAmbiguous(ctx, b, `Auth0 import job ${job.status}`);
  const errors = await auth0.getJobErrors(jobId);
  await applyOutcome(ctx, b, indexJobErrors(errors, ctx.branding.companyName));
}

async function resubmitAmbiguous(
  ctx: PipelineContext,
  b: ClaimedBatch,
  why: string,
): Promise<void> {
  if (b.attempts >= ctx.options.maxSubmitAttempts) {
    await failBatch(
      ctx,
      b,
      "IMPORT_FAILED",
      `${why}; the invitation could not be created. Invite again later`,
    );
    return;
  }
  const wait = backoff(b.attempts);
  ctx.log.warn(
    { batch: b.id, why },
    "import job did not complete; resubmitting",
  );
  await ctx.db.transaction(async (tx) => {
    await updateLeased(
      tx,
      b.id,
      ctx.options.workerId,
      `state = 'pending', ambiguous = true, job_id = null, next_at = ${inMs(3)}, waiting_reason = $4`,
      [wait, `${why}; retrying in ${Math.ceil(wait / 1000)} s`],
    );
  });
}
