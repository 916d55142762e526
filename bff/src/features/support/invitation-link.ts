// Support's "copy invitation link": a new token for the person's open invitation (the old link
// stops working), returned once to support and audited. Expiry follows the tenant's invitation
// lifetime.
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import {
  hashInvitationToken,
  newInvitationToken,
} from "../../pipeline/invitation-token.ts";
import type { InvitationLink } from "./contract.ts";
import {
  findOpenInvitationForUpdate,
  setInvitationToken,
} from "./repository.ts";

export async function copyInvitationLink(
  db: Db,
  publicUrl: string,
  userId: string,
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
): Promise<InvitationLink> {
  const link = await db.transaction(async (tx) => {
    const inv = await findOpenInvitationForUpdate(tx, userId);
    if (!inv)
      throw new AppError(
        "not_found",
        "This person has no open invitation (not yet created, already accepted, revoked or failed)",
      );
    const token = newInvitationToken();
    const expiresAt = new Date(Date.now() + inv.lifetime_days * 86_400_000);
    await setInvitationToken(tx, inv.id, hashInvitationToken(token), expiresAt);
    await audit(tx, {
      tenantId: inv.tenant_id,
      ...actor,
      action: "support.invitation_link_copied",
      target: inv.email,
      details: { userId },
    });
    return { token, expiresAt };
  });
  return {
    url: `${publicUrl}/invitations/${link.token}`,
    expiresAt: link.expiresAt.toISOString(),
  };
}
