// DELETE …/members/:userId: revoke an open invitation, or remove a member (delete in Auth0, or block
// when MEMBER_REMOVAL=block). Either frees the seat and writes the audit log in the same transaction.
// Auth0 is called first: if it fails, nothing changed here and the admin can simply try again.
import type { Auth0 } from "../../auth0/types.ts";
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { AdminRoles } from "./admins.ts";
import type { RemoveMemberResult } from "./contract.ts";

interface Target {
  invitation: { id: string; state: string; email: string } | null;
  member: { email: string; blocked: boolean; removed: boolean } | null;
}

async function findTarget(
  db: Db,
  tenantId: string,
  userId: string,
): Promise<Target> {
  const inv = await db.query<{ id: string; state: string; email: string }>(
    "select id::text, state, email from invitations where tenant_id = $1 and user_id = $2",
    [tenantId, userId],
  );
  const mem = await db.query<{
    email: string;
    blocked: boolean;
    removed: boolean;
  }>(
    "select email, blocked, removed_at is not null as removed from members where tenant_id = $1 and user_id = $2",
    [tenantId, userId],
  );
  return { invitation: inv.rows[0] ?? null, member: mem.rows[0] ?? null };
}

/** States in which the Auth0 user exists (created by the import) but the invitation is not accepted. */
const USER_EXISTS = new Set(["created", "emailed", "verified"]);
const OPEN = new Set(["queued", "importing", "created", "emailed", "verified"]);

export async function removeMember(
  deps: {
    db: Db;
    auth0: Auth0;
    removal: "delete" | "block";
    admins: AdminRoles;
  },
  tenantId: string,
  userId: string,
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
  options: { confirmSelf?: boolean } = {},
): Promise<RemoveMemberResult> {
  const { db, auth0, removal } = deps;
  const { invitation, member } = await findTarget(db, tenantId, userId);
  if (!invitation && !member)
    throw new AppError(
      "not_found",
      "No such member or invitation in this tenant",
    );

  if (invitation && OPEN.has(invitation.state)) {
    // The import may already have created the user: remove it too, or "forgot password" would let them in.
    if (USER_EXISTS.has(invitation.state)) await auth0.deleteUser(userId);
    await db.transaction(async (tx) => {
      const r = await tx.query(
        `update invitations set state = 'revoked', token_hash = null, mail_due_at = null, revoked_at = now(), updated_at = now()
         where id = $1 and state = $2`,
        [invitation.id, invitation.state],
      );
      if (r.rowCount === 0)
        throw new AppError(
          "conflict",
          "The invitation changed meanwhile; reload and try again",
        );
      if (USER_EXISTS.has(invitation.state))
        await tx.query(
          "update members set removed_at = now() where user_id = $1",
          [userId],
        );
      await audit(tx, {
        tenantId,
        ...actor,
        action: "invitation.revoked",
        target: invitation.email,
        details: { userId, previousState: invitation.state },
      });
    });
    return { userId, outcome: "revoked" };
  }

  const isMember =
    invitation?.state === "accepted" || (member !== null && !member.removed);
  if (
    !isMember ||
    member?.removed ||
    (removal === "block" && member?.blocked)
  ) {
    throw new AppError(
      "conflict",
      "Nothing to remove: the invitation is closed or the member is already gone",
    );
  }
  const email = member?.email ?? invitation?.email ?? "";
  const self = actor.actor === userId;
  const refuse = async (reason: string, message: string): Promise<never> => {
    await audit(db, {
      tenantId,
      ...actor,
      action: "member.removal_refused",
      target: email,
      details: { userId, reason },
    });
    throw new AppError("conflict", message, { reason });
  };
  // Removing oneself locks one out of the tenant: only with an explicit confirmation (the web's
  // confirm dialog sends ?confirm=self).
  if (self && !options.confirmSelf)
    await refuse(
      "self_unconfirmed",
      "You are about to remove yourself and lose access to this tenant; confirm with ?confirm=self",
    );
  // Never leave a tenant without an admin (someone holding the Auth0 role "Customer admin").
  if (
    (await deps.admins.isAdmin(userId)) &&
    !(await deps.admins.hasOtherAdmin(tenantId, userId))
  )
    await refuse(
      "last_admin",
      `${email} is the last admin of this tenant; make someone else an admin first (ExampleCo support can help)`,
    );
  if (removal === "block") await auth0.updateUser(userId, { blocked: true });
  else await auth0.deleteUser(userId);
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into members (user_id, tenant_id, email, blocked, removed_at) values ($1, $2, $3, $4, $5)
       on conflict (user_id) do update set blocked = excluded.blocked or members.blocked, removed_at = excluded.removed_at, synced_at = now()`,
      [
        userId,
        tenantId,
        email,
        removal === "block",
        removal === "delete" ? new Date() : null,
      ],
    );
    await audit(tx, {
      tenantId,
      ...actor,
      action: removal === "block" ? "member.blocked" : "member.removed",
      target: email,
      details: self ? { userId, self: true } : { userId },
    });
  });
  return { userId, outcome: removal === "block" ? "blocked" : "deleted" };
}
