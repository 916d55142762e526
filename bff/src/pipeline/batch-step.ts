// One step of the import-batch state machine (see docs/decisions: pipeline). Job creation is never
// retried blindly: the intent is recorded before the call, and any unknown outcome (crash, timeout,
// 5xx, failed job) marks the batch "ambiguous". A resubmitted ambiguous batch cannot create
// duplicates (upsert=false and our own user_id make Auth0 refuse them); its DUPLICATED_USER rows
// are then checked against the user_id we chose, so a row created by the lost attempt counts as ours.
import { randomUUID } from "node:crypto";
import { auth0ProblemOf } from "../auth0/map-error.ts";
import { isAppError, isDatabaseUnavailable } from "../errors.ts";
import {
  applyOutcome,
  asPendingUser,
  deleteLeftover,
  existsInAuth0,
  failBatch,
  leaseOf,
} from "./batch-outcome.ts";
import {
  claimBatch,
  insertFollowUpBatch,
  markBatchDone,
  markBatchSubmitted,
  markForResubmission,
  markSubmitAmbiguous,
  markSubmitInterrupted,
  pauseBatch,
  pauseOtherBatches,
  pollBatchLater,
  recordSubmitIntent,
  releaseBatch,
  retryUnattempted,
  type ClaimedBatch,
} from "./batches.repository.ts";
import { checkBulkUser, toBulkUser } from "./import-file.ts";
import { inLane, tenantLane } from "../auth0/lanes.ts";
import {
  markFoundCreated,
  markImporting,
  moveToBatch,
  openRows,
  revokedRows,
} from "./invitations.repository.ts";
import { indexJobErrors } from "./job-errors.ts";
import { firstPollMs, needsErrorList, nextPoll } from "./job-poll.ts";
import type { PipelineContext } from "./options.ts";
import { backoff, retryDelay, waitingText } from "./retry.ts";

export async function runBatchStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options } = ctx;
  const batch = await claimBatch(db, {
    workerId: options.workerId,
    leaseMs: options.leaseMs,
    maxInFlight: options.maxJobsInFlight,
  });
  if (!batch) return false;
  try {
    // The tenant's own lane of the Auth0 budget: one tenant's imports cannot starve another's.
    await inLane(tenantLane(batch.tenant_id), async () => {
      if (batch.state === "submitting") await recoverInterrupted(ctx, batch);
      else if (batch.state === "pending") await submit(ctx, batch);
      else await poll(ctx, batch);
    });
  } catch (error) {
    if (auth0ProblemOf(error) === "configuration") {
      await pauseForConfiguration(ctx, batch, error, false);
      return true;
    }
    // Anything unexpected: release the batch for a later retry; the lease guard keeps it safe.
    // When the database is away, the release is kept and written once it is back, so the batch
    // does not sit out its lease after the outage.
    if (isDatabaseUnavailable(error))
      ctx.log.warn(
        { batch: batch.id },
        "import batch step interrupted: the database is unavailable",
      );
    else
      ctx.log.error(
        { err: error, batch: batch.id },
        "import batch step failed",
      );
    const wait = retryDelay(error, 2_000);
    await ctx.settler.settle(`release import batch ${batch.id}`, () =>
      releaseBatch(db, leaseOf(ctx, batch), {
        waitMs: wait,
        reason: waitingText(error, wait),
      }),
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
  await markSubmitInterrupted(
    ctx.db,
    leaseOf(ctx, b),
    ctx.options.reconcileGraceMs,
  );
}

async function submit(ctx: PipelineContext, b: ClaimedBatch): Promise<void> {
  const { db, options } = ctx;
  const rows = await openRows(db, b.id);
  if (rows.length === 0) {
    await markBatchDone(db, leaseOf(ctx, b));
    return;
  }
  const users = rows.map((r) => toBulkUser(asPendingUser(r), b.tenant_id));
  const bad = users.map(checkBulkUser).find((e) => e !== null);
  if (bad) throw new Error(`refusing to submit an invalid import file: ${bad}`);
  // Record the intent BEFORE the call: if we die during it, the batch is known to be ambiguous.
  const attempt = await recordSubmitIntent(db, leaseOf(ctx, b));
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
  // Auth0 has the job now. If the database drops before this commits, the job id is kept in
  // memory and recorded once the database is back (settle.ts); if this process dies meanwhile,
  // the batch is still `submitting` and is reconciled (recoverInterrupted). The lease guard makes
  // a late write harmless when another instance took the batch over.
  await ctx.settler.settle(`record job ${jobId} of import batch ${b.id}`, () =>
    db.transaction(async (tx) => {
      const ok = await markBatchSubmitted(tx, leaseOf(ctx, b), {
        jobId,
        pollMs: firstPollMs(users.length, options),
      });
      if (ok) await markImporting(tx, { batchId: b.id, jobId });
    }),
  );
}

async function submitFailed(
  ctx: PipelineContext,
  b: ClaimedBatch,
  attempt: number,
  error: unknown,
): Promise<void> {
  const { db, options } = ctx;
  const code = isAppError(error) ? error.code : "internal";
  const problem = auth0ProblemOf(error);
  if (problem === "import_jobs_busy") {
    // The tenant already runs its two import jobs (another app's, or an orphan of ours). Nothing
    // was created (429 or 400 alike): wait and submit again; never an attempt, never a failure.
    const wait = options.importsBusyRetryMs;
    await retryUnattempted(db, leaseOf(ctx, b), {
      waitMs: wait,
      reason: `Auth0 is already running the most import jobs a tenant may run at once (two); submitting again in ${Math.ceil(wait / 1000)} s`,
    });
    return;
  }
  if (problem === "configuration") {
    // 401/403: Auth0 refused before doing anything. Wait for the operator, re-probing with back-off.
    await pauseForConfiguration(ctx, b, error, true);
    return;
  }
  if (code === "rate_limited") {
    // A 429 is answered before anything is created: not ambiguous, and it does not use up an attempt.
    const wait = retryDelay(error, 1_000);
    await retryUnattempted(db, leaseOf(ctx, b), {
      waitMs: wait,
      reason: waitingText(error, wait),
    });
    return;
  }
  if (code === "validation" || code === "payload_too_large") {
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
  // Also when the database failed: the rate budget records Auth0's answer after the call, so a
  // database error does not prove that no job was created.
  const wait = Math.max(options.reconcileGraceMs, backoff(attempt));
  ctx.log.warn(
    { batch: b.id, attempt, code },
    "import job creation had an unknown outcome; will reconcile",
  );
  const why =
    code === "database_unavailable"
      ? "Guestlist's database was unavailable during the import"
      : `Auth0 did not confirm the import (${code})`;
  await ctx.settler.settle(`reconcile import batch ${b.id}`, () =>
    markSubmitAmbiguous(db, leaseOf(ctx, b), {
      waitMs: wait,
      reason: `${why}; retrying in ${Math.ceil(wait / 1000)} s`,
    }),
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
    await pollBatchLater(
      db,
      leaseOf(ctx, b),
      nextPoll(job, b.poll_delay_ms, options),
    );
    return;
  }
  if (job.status === "expired") return reconcileExpired(ctx, b);
  if (job.status !== "completed")
    return resubmitAmbiguous(ctx, b, `Auth0 import job ${job.status}`);
  // No failure in Auth0's summary: no error list to read (one Management API call less per job).
  const errors = needsErrorList(job) ? await auth0.getJobErrors(jobId) : [];
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
    await markForResubmission(tx, leaseOf(ctx, b), {
      waitMs: wait,
      reason: `${why}; retrying in ${Math.ceil(wait / 1000)} s`,
    });
  });
}

/**
 * A 401/403 from the Management API (a scope missing from the BFF's grant, a wrong secret): no
 * blind retries and no failed rows. This batch, and the other batches waiting in the same state,
 * wait with Auth0's reason (shown as the import's waiting reason) and re-probe with back-off.
 */
async function pauseForConfiguration(
  ctx: PipelineContext,
  b: ClaimedBatch,
  error: unknown,
  giveBackAttempt: boolean,
): Promise<void> {
  const { db, options } = ctx;
  const wait = Math.min(
    options.configRetryMaxMs,
    Math.max(options.configRetryMinMs, b.poll_delay_ms * 2),
  );
  const reason = `${error instanceof Error ? error.message : "Auth0 refused the BFF"}; checking again in ${Math.ceil(wait / 1000)} s`;
  ctx.log.error(
    { batch: b.id, err: error },
    "Auth0 refused the BFF (configuration); import work paused",
  );
  await db.transaction(async (tx) => {
    const ok = await pauseBatch(tx, leaseOf(ctx, b), {
      waitMs: wait,
      pollDelayMs: wait,
      reason,
      giveBackAttempt,
    });
    if (!ok) return;
    // The other batches in the same state would meet the same refusal: show it and let this
    // one batch re-probe instead of every one of them.
    await pauseOtherBatches(tx, {
      batchId: b.id,
      waitMs: wait,
      reason,
      state: b.state === "submitting" ? "pending" : b.state,
    });
  });
}

/**
 * Auth0 says the job `expired` (it completed more than 2 hours ago; its errors may be gone). Never
 * submit the batch again: ask Auth0 which of its users exist, by the user_id we chose. Those rows
 * are created; only the rows whose user truly does not exist move to one new batch (in the same
 * transaction that closes this one, so nothing is submitted twice). Their batch is marked ambiguous:
 * a DUPLICATED_USER there is checked against our user_id again.
 */
async function reconcileExpired(
  ctx: PipelineContext,
  b: ClaimedBatch,
): Promise<void> {
  const { db } = ctx;
  const rows = await openRows(db, b.id);
  const exists = await existsInAuth0(ctx, b.id, rows);
  if (exists === null) return; // lease lost
  const created = rows.filter((_, i) => exists[i]).map((r) => r.id);
  const missing = rows.filter((_, i) => !exists[i]).map((r) => r.id);
  const newBatch = missing.length > 0 ? randomUUID() : null;
  const revoked = await db.transaction(async (tx) => {
    if (!(await markBatchDone(tx, leaseOf(ctx, b)))) return [];
    await markFoundCreated(tx, { ids: created, batchId: b.id });
    if (newBatch) {
      await insertFollowUpBatch(tx, {
        batchId: newBatch,
        importId: b.import_id,
        tenantId: b.tenant_id,
      });
      await moveToBatch(tx, {
        ids: missing,
        fromBatchId: b.id,
        toBatchId: newBatch,
      });
    }
    return (await revokedRows(tx, b.id)).map((x) => x.user_id);
  });
  for (const userId of revoked) await deleteLeftover(ctx, userId);
  ctx.log.warn(
    {
      batch: b.id,
      created: created.length,
      resubmitted: missing.length,
      newBatch,
    },
    "import job expired; reconciled by user id",
  );
}
