// The end of a batch: per-row outcomes from the job's errors (with the ambiguity check), or a
// failure of every open row. Shared by the submit and poll steps in batch-step.ts.
import { AppError } from "../errors.ts";
import type { TenantRole } from "../shared-contract.ts";
import { updateLeased, type ClaimedBatch } from "./batch-claim.ts";
import type { PendingUser } from "./import-file.ts";
import { isDuplicate, type RowFailure } from "./job-errors.ts";
import type { PipelineContext } from "./options.ts";

export interface InvitationRecord {
  id: string;
  user_id: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  role: TenantRole;
  locale: string | null;
}

/** The batch's rows still waiting for an outcome (queued or importing), in file order. */
export async function openRows(
  ctx: PipelineContext,
  batchId: string,
): Promise<InvitationRecord[]> {
  const r = await ctx.db.query<InvitationRecord>(
    `select id, user_id, email, given_name, family_name, role, locale from invitations
     where batch_id = $1 and state in ('queued', 'importing') order by row_number`,
    [batchId],
  );
  return r.rows;
}

export async function applyOutcome(
  ctx: PipelineContext,
  b: ClaimedBatch,
  failures: Map<string, RowFailure>,
): Promise<void> {
  const rows = await openRows(ctx, b.id);
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
    if (
      !(await updateLeased(
        tx,
        b.id,
        ctx.options.workerId,
        "state = 'done', waiting_reason = null",
      ))
    )
      return [];
    // Rows revoked while their job ran: Auth0 created the user anyway; it must not stay behind.
    const revoked = await tx.query<{ user_id: string; email: string }>(
      "select user_id, email from invitations where batch_id = $1 and state = 'revoked'",
      [b.id],
    );
    await tx.query(
      // The user exists now: an admin row owes its role from here on (role-step.ts).
      `update invitations set state = 'created', mail_due_at = now(),
         role_due_at = case when role = 'admin' then now() else role_due_at end, updated_at = now()
       where id = any($1::uuid[]) and state in ('queued', 'importing')`,
      [created],
    );
    await tx.query(
      `update invitations i set state = 'failed', failure_code = f.code, failure_reason = f.reason, updated_at = now()
       from unnest($1::uuid[], $2::text[], $3::text[]) as f(id, code, reason)
       where i.id = f.id and i.state in ('queued', 'importing')`,
      [
        failed.map((f) => f.id),
        failed.map((f) => f.code),
        failed.map((f) => f.reason),
      ],
    );
    return revoked.rows
      .filter((r) => !failures.has(r.email))
      .map((r) => r.user_id);
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

async function renewLease(
  ctx: PipelineContext,
  batchId: string,
): Promise<boolean> {
  const r = await ctx.db.query(
    `update import_batches set lease_until = now() + $3 * interval '1 millisecond' where id = $1 and lease_owner = $2`,
    [batchId, ctx.options.workerId, ctx.options.leaseMs],
  );
  return r.rowCount > 0;
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
    if (
      !(await updateLeased(
        tx,
        b.id,
        ctx.options.workerId,
        "state = 'failed', waiting_reason = null, last_error = $3",
        [reason],
      ))
    )
      return;
    await tx.query(
      `update invitations set state = 'failed', failure_code = $2, failure_reason = $3, updated_at = now()
       where batch_id = $1 and state in ('queued', 'importing')`,
      [b.id, code, reason],
    );
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
