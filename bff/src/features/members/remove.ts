// DELETE …/members/:userId: revoke an open invitation (invitation-lifecycle/revoke.ts), or remove a
// member (delete in Auth0, or block when MEMBER_REMOVAL=block). Either frees the seat and writes the
// audit log in the same transaction.
// Auth0 is called first: if it fails, nothing changed here and the admin can simply try again.
import type { Auth0 } from "../../auth0/types.ts";
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import { isOpen, revokeInvitation } from "../../invitation-lifecycle/revoke.ts";
import type { AdminRoles } from "./admins.ts";
import type { RemoveMemberResult } from "./contract.ts";
import { findRemovalTarget, recordRemoval } from "./repository.ts";

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
  const { invitation, member } = await findRemovalTarget(db, tenantId, userId);
  if (!invitation && !member)
    throw new AppError(
      "not_found",
      "No such member or invitation in this tenant",
    );

  if (invitation && isOpen(invitation.state)) {
    await revokeInvitation(
      { db, auth0 },
      { tenantId, userId, ...invitation },
      actor,
    );
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
    await recordRemoval(tx, { userId, tenantId, email, removal });
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
