// Support's "copy invitation link": a new token for the person's open invitation (the old link
// stops working), returned once to support. Expiry follows the tenant's invitation lifetime.
import type { Queryable } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import {
  hashInvitationToken,
  newInvitationToken,
} from "../../pipeline/invitation-token.ts";

export interface FreshLink {
  tenantId: string;
  email: string;
  token: string;
  expiresAt: Date;
}

export async function freshInvitationLink(
  tx: Queryable,
  userId: string,
): Promise<FreshLink> {
  const r = await tx.query<{
    id: string;
    tenant_id: string;
    email: string;
    lifetime_days: number;
  }>(
    `select i.id, i.tenant_id, i.email, t.invitation_lifetime_days as lifetime_days
       from invitations i join tenants t on t.id = i.tenant_id
      where i.user_id = $1 and i.state in ('created', 'emailed', 'verified')
      for update of i`,
    [userId],
  );
  const inv = r.rows[0];
  if (!inv)
    throw new AppError(
      "not_found",
      "This person has no open invitation (not yet created, already accepted, revoked or failed)",
    );
  const token = newInvitationToken();
  const expiresAt = new Date(Date.now() + inv.lifetime_days * 86_400_000);
  await tx.query(
    "update invitations set token_hash = $2, expires_at = $3, updated_at = now() where id = $1",
    [inv.id, hashInvitationToken(token), expiresAt.toISOString()],
  );
  return { tenantId: inv.tenant_id, email: inv.email, token, expiresAt };
}
