// Invitation lookups and state changes for the invitee's journey. Tokens are looked up by hash.
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import {
  hashInvitationToken,
  looksLikeToken,
} from "../../pipeline/invitation-token.ts";

export interface InvitationView {
  id: string;
  tenantId: string;
  tenantName: string;
  userId: string;
  email: string;
  state: string;
  expired: boolean;
}

export async function findByToken(
  db: Db,
  token: string,
): Promise<InvitationView | null> {
  if (!looksLikeToken(token)) return null;
  const r = await db.query<{
    id: string;
    tenant_id: string;
    tenant_name: string;
    user_id: string;
    email: string;
    state: string;
    expired: boolean;
  }>(
    `select i.id, i.tenant_id, t.name as tenant_name, i.user_id, i.email, i.state,
            coalesce(i.expires_at < now(), false) as expired
     from invitations i join tenants t on t.id = i.tenant_id where i.token_hash = $1`,
    [hashInvitationToken(token)],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    userId: row.user_id,
    email: row.email,
    state: row.state,
    expired: row.expired,
  };
}

/** created/emailed → verified (Auth0 confirmed the email). */
export async function markVerified(db: Db, id: string): Promise<void> {
  await db.query(
    `update invitations set state = 'verified', verified_at = coalesce(verified_at, now()), updated_at = now()
     where id = $1 and state in ('created', 'emailed')`,
    [id],
  );
}

export async function markAccepted(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{
      tenant_id: string;
      user_id: string;
      email: string;
    }>(
      `update invitations set state = 'accepted', accepted_at = now(), mail_due_at = null, updated_at = now()
       where id = $1 and state = 'verified' returning tenant_id, user_id, email`,
      [id],
    );
    const row = r.rows[0];
    if (!row) return false;
    await audit(tx, {
      tenantId: row.tenant_id,
      actor: row.user_id,
      actorEmail: row.email,
      action: "invitation.accepted",
      target: row.user_id,
    });
    return true;
  });
}
