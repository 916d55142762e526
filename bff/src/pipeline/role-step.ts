// The role outbox: invitations with role_due_at set owe the Auth0 role "Customer admin" (set when
// the import job created the user, batch-outcome.ts). A round claims up to `roleBatch` of them (SKIP
// LOCKED + lease), assigns the role to all of them with ONE POST /api/v2/roles/{id}/users, then
// clears role_due_at. A crash after Auth0 answered and before the record means the next claim after
// the lease assigns again, which Auth0 treats as a no-op (a holder stays a holder): at least once in
// calls, exactly once in effect, never lost. See docs/decisions/006-invitation-pipeline.md.
import { isAppError } from "../errors.ts";
import type { PipelineContext } from "./options.ts";
import { backoff, retryDelay } from "./retry.ts";

interface Claimed {
  id: string;
  user_id: string;
  role_attempts: number;
}

/** Rows whose Auth0 user exists: created by the job, maybe already emailed or accepted. */
const USER_EXISTS = `('created', 'emailed', 'verified', 'accepted')`;

export async function runRoleStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options } = ctx;
  // A revoked or failed row owes nothing any more (its user is deleted or was never created).
  await db.query(
    `update invitations set role_due_at = null, role_lease_owner = null, role_lease_until = null
     where role_due_at is not null and state not in ${USER_EXISTS}`,
  );
  const claimed = await db.query<Claimed>(
    `update invitations i set role_lease_owner = $1, role_lease_until = now() + $2 * interval '1 millisecond'
     where i.id in (
       select id from invitations
       where role_due_at <= now() and state in ${USER_EXISTS}
         and (role_lease_until is null or role_lease_until < now())
       order by role_due_at limit $3
       for update skip locked)
     returning i.id, i.user_id, i.role_attempts`,
    [options.workerId, options.leaseMs, options.roleBatch],
  );
  if (claimed.rows.length === 0) return false;
  const rows = claimed.rows;
  let roleId: string;
  try {
    roleId = await ctx.adminRoleId();
    await ctx.auth0.assignRoleToUsers(
      roleId,
      rows.map((r) => r.user_id),
    );
    await recordAssigned(ctx, rows);
    return true;
  } catch (error) {
    // "One or more of the users do not exist" (Auth0's 404 for this call): someone was deleted
    // meanwhile. Assign one by one so the others still get the role; the gone ones owe nothing.
    if (isAppError(error) && error.code === "not_found" && rows.length > 1) {
      await oneByOne(ctx, rows);
      return true;
    }
    if (isAppError(error) && error.code === "not_found") {
      await recordGone(ctx, rows);
      return true;
    }
    await recordRetry(ctx, rows, error);
    return true;
  }
}

async function oneByOne(
  ctx: PipelineContext,
  rows: readonly Claimed[],
): Promise<void> {
  const roleId = await ctx.adminRoleId();
  for (const r of rows) {
    try {
      await ctx.auth0.addUserRole(r.user_id, roleId);
      await recordAssigned(ctx, [r]);
    } catch (error) {
      if (isAppError(error) && error.code === "not_found")
        await recordGone(ctx, [r]);
      else await recordRetry(ctx, [r], error);
    }
  }
}

async function recordAssigned(
  ctx: PipelineContext,
  rows: readonly Claimed[],
): Promise<void> {
  const ids = rows.map((r) => r.id);
  // The role is in Auth0 now: if the database is away, the record waits in the settler and is
  // written before this process claims anything again (settle.ts).
  await ctx.settler.settle(`record ${ids.length} role assignments`, () =>
    ctx.db.transaction(async (tx) => {
      await tx.query(
        `update invitations set role_due_at = null, role_lease_owner = null, role_lease_until = null,
           role_attempts = 0, role_assigned_at = now(), last_role_error = null, updated_at = now()
         where id = any($1::uuid[]) and role_lease_owner = $2`,
        [ids, ctx.options.workerId],
      );
      await tx.query(
        `update members set role = 'admin' where user_id = any($1::text[])`,
        [rows.map((r) => r.user_id)],
      );
    }),
  );
}

async function recordGone(
  ctx: PipelineContext,
  rows: readonly Claimed[],
): Promise<void> {
  await ctx.db.query(
    `update invitations set role_due_at = null, role_lease_owner = null, role_lease_until = null,
       last_role_error = 'The Auth0 user no longer exists', updated_at = now()
     where id = any($1::uuid[]) and role_lease_owner = $2`,
    [rows.map((r) => r.id), ctx.options.workerId],
  );
}

async function recordRetry(
  ctx: PipelineContext,
  rows: readonly Claimed[],
  error: unknown,
): Promise<void> {
  const attempts = Math.max(...rows.map((r) => r.role_attempts)) + 1;
  const wait = retryDelay(error, backoff(attempts));
  ctx.log.warn(
    { err: error, rows: rows.length, attempts },
    "assigning the admin role failed; retrying",
  );
  await ctx.db.query(
    `update invitations set role_due_at = now() + $3 * interval '1 millisecond', role_attempts = role_attempts + 1,
       role_lease_owner = null, role_lease_until = null, last_role_error = $4, updated_at = now()
     where id = any($1::uuid[]) and role_lease_owner = $2`,
    [
      rows.map((r) => r.id),
      ctx.options.workerId,
      wait,
      error instanceof Error ? error.message.slice(0, 500) : "failed",
    ],
  );
}
