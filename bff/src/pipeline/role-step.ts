// The role outbox: invitations with role_due_at set owe the Auth0 role "Customer admin" (set when
// the import job created the user, batch-outcome.ts). A round claims up to `roleBatch` of them (SKIP
// LOCKED + lease), assigns the role to all of them with ONE POST /api/v2/roles/{id}/users, then
// clears role_due_at. A crash after Auth0 answered and before the record means the next claim after
// the lease assigns again, which Auth0 treats as a no-op (a holder stays a holder): at least once in
// calls, exactly once in effect, never lost. See docs/decisions/006-invitation-pipeline.md.
import { isAppError } from "../errors.ts";
import {
  claimRoles,
  dropStaleRoleDebts,
  recordRoleRetry,
  recordRoleUserGone,
  recordRolesAssigned,
  type RoleClaim as Claimed,
} from "./invitations.repository.ts";
import { markMembersAdmin } from "./members.repository.ts";
import type { PipelineContext } from "./options.ts";
import { backoff, retryDelay } from "./retry.ts";

export async function runRoleStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options } = ctx;
  // A revoked or failed row owes nothing any more (its user is deleted or was never created).
  await dropStaleRoleDebts(db);
  const rows = await claimRoles(db, {
    workerId: options.workerId,
    leaseMs: options.leaseMs,
    limit: options.roleBatch,
  });
  if (rows.length === 0) return false;
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
      await recordRolesAssigned(tx, { ids, workerId: ctx.options.workerId });
      await markMembersAdmin(
        tx,
        rows.map((r) => r.user_id),
      );
    }),
  );
}

async function recordGone(
  ctx: PipelineContext,
  rows: readonly Claimed[],
): Promise<void> {
  await recordRoleUserGone(ctx.db, {
    ids: rows.map((r) => r.id),
    workerId: ctx.options.workerId,
  });
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
  await recordRoleRetry(ctx.db, {
    ids: rows.map((r) => r.id),
    workerId: ctx.options.workerId,
    waitMs: wait,
    error: error instanceof Error ? error.message.slice(0, 500) : "failed",
  });
}
