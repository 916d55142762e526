// The end of a batch: per-row outcomes from the job's errors (with the ambiguity check), or a
// failure of every open row. Shared by the submit and poll steps in batch-step.ts.
import { AppError } from "../errors.ts";
import {
  markBatchDone,
  markBatchFailed,
  renewBatchLease,
  type BatchLease,
  type ClaimedBatch,
} from "./batches.repository.ts";
import type { PendingUser } from "./import-file.ts";
import {
  failOpenRows,
  openRows,
  markCreated,
  markFailedEach,
  revokedRows,
  type InvitationRecord,
} from "./invitations.repository.ts";
import { isDuplicate, type RowFailure } from "./job-errors.ts";
import type { PipelineContext } from "./options.ts";

/** The lease this worker holds on batch `b`. */
export function leaseOf(ctx: PipelineContext, b: ClaimedBatch): BatchLease {
  return { batchId: b.id, workerId: ctx.options.workerId };
}

export async function applyOutcome(
  ctx: PipelineContext,
  b: ClaimedBatch,
  failures: Map<string, RowFailure>,
): Promise<void> {
  const rows = await openRows(ctx.db, b.id);
  const created: string[] = [];
  const failed: { id: string; code: string; reason: string }[] = [];
  const toCheck: { row: InvitationRecord; failure: RowFailure }[] = [];
  for (const r of rows) {
    const f = failures.get(r.email);
    if (!f) created.push(r.id);
    else if (b.ambiguous && isDuplicate(f.code))
      toCheck.push({ row: r, failure: f });
    else failed.push({ id: r.id, ...f });
  }
  // Only after an unknown outcome: is the "duplicate" the user an earlier attempt created for us?
  // One get-user per such row, 10 at a time through the shared rate budget, renewing the lease.
  for (let i = 0; i < toCheck.length; i += 50) {
    const chunk = toCheck.slice(i, i + 50);
    const ours = await mapLimit(chunk, 10, ({ row }) => isOurs(ctx, row));
    chunk.forEach(({ row, failure }, j) =>
      ours[j] ? created.push(row.id) : failed.push({ id: row.id, ...failure }),
    );
    if (!(await renewLease(ctx, b.id))) return;
  }
  const revokedMeanwhile = await ctx.db.transaction(async (tx) => {
    if (!(await markBatchDone(tx, leaseOf(ctx, b)))) return [];
    // Rows revoked while their job ran: Auth0 created the user anyway; it must not stay behind.
    const revoked = await revokedRows(tx, b.id);
    await markCreated(tx, created);
    await markFailedEach(tx, failed);
    return revoked.filter((r) => !failures.has(r.email)).map((r) => r.user_id);
  });
  for (const userId of revokedMeanwhile) await deleteLeftover(ctx, userId);
  ctx.log.info(
    {
      batch: b.id,
      created: created.length,
      failed: failed.length,
      checked: toCheck.length,
    },
    "import batch finished",
  );
}

export async function deleteLeftover(
  ctx: PipelineContext,
  userId: string,
): Promise<void> {
  try {
    await ctx.auth0.deleteUser(userId);
  } catch (error) {
    // Revoked before its file was sent: the user was never created.
    if (error instanceof AppError && error.code === "not_found") return;
    ctx.log.warn(
      { err: error, userId },
      "could not delete the Auth0 user of a revoked invitation",
    );
  }
}

function renewLease(ctx: PipelineContext, batchId: string): Promise<boolean> {
  return renewBatchLease(
    ctx.db,
    { batchId, workerId: ctx.options.workerId },
    ctx.options.leaseMs,
  );
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

/**
 * For each row: does the Auth0 user with the user_id we chose exist? 10 at a time through the
 * shared budget, renewing the lease every 50 rows; null when the lease was lost meanwhile.
 */
export async function existsInAuth0(
  ctx: PipelineContext,
  batchId: string,
  rows: readonly InvitationRecord[],
): Promise<boolean[] | null> {
  const out: boolean[] = [];
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    out.push(...(await mapLimit(chunk, 10, (r) => isOurs(ctx, r))));
    if (!(await renewLease(ctx, batchId))) return null;
  }
  return out;
}

/** The Auth0 user with the user_id we chose exists with this email: an earlier attempt created it. */
async function isOurs(
  ctx: PipelineContext,
  r: InvitationRecord,
): Promise<boolean> {
  const user = await ctx.auth0.getUser(r.user_id);
  return user !== null && user.email.toLowerCase() === r.email;
}

export async function failBatch(
  ctx: PipelineContext,
  b: ClaimedBatch,
  code: string,
  reason: string,
): Promise<void> {
  ctx.log.error({ batch: b.id, code }, "import batch failed for good");
  await ctx.db.transaction(async (tx) => {
    if (!(await markBatchFailed(tx, leaseOf(ctx, b), reason))) return;
    await failOpenRows(tx, { batchId: b.id, code, reason });
  });
}

export function asPendingUser(r: InvitationRecord): PendingUser {
  return {
    userId: r.user_id,
    email: r.email,
    givenName: r.given_name,
    familyName: r.family_name,
    role: r.role,
    locale: r.locale,
  };
}
