// Revoking an open invitation (DELETE …/members/:userId on someone who has not joined yet): the link
// stops working, no email is owed, the seat is free. The import may already have created the
// Auth0 user: it is deleted first, or "forgot password" would let them in. Auth0 is called first: if
// it fails, nothing changed here and the admin can simply try again.
import type { AuditInput } from "../audit-log.ts";
import { audit } from "../audit-log.ts";
import type { Auth0 } from "../auth0/types.ts";
import type { Db } from "../db/db.ts";
import { AppError } from "../errors.ts";
import { markMirrorRemoved, markRevoked } from "./repository.ts";

/** States in which the Auth0 user exists (created by the import) but the invitation is not accepted. */
const USER_EXISTS = new Set(["created", "emailed", "verified"]);
const OPEN = new Set(["queued", "importing", "created", "emailed", "verified"]);

/** Not accepted, failed or revoked yet: the invitation can still be revoked. */
export const isOpen = (state: string): boolean => OPEN.has(state);

export async function revokeInvitation(
  deps: { db: Db; auth0: Pick<Auth0, "deleteUser"> },
  invitation: {
    id: string;
    tenantId: string;
    userId: string;
    email: string;
    state: string;
  },
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
): Promise<void> {
  const { db, auth0 } = deps;
  const { tenantId, userId, state } = invitation;
  if (USER_EXISTS.has(state)) await auth0.deleteUser(userId);
  await db.transaction(async (tx) => {
    if (!(await markRevoked(tx, invitation.id, state)))
      throw new AppError(
        "conflict",
        "The invitation changed meanwhile; reload and try again",
      );
    if (USER_EXISTS.has(state)) await markMirrorRemoved(tx, userId);
    await audit(tx, {
      tenantId,
      ...actor,
      action: "invitation.revoked",
      target: invitation.email,
      details: { userId, previousState: state },
    });
  });
}
