// The invitee's journey reads its invitation by token (looked up by hash). Its state changes live
// in ../../invitation-lifecycle/repository.ts (driven only by Auth0's record).
import type { Queryable } from "../../db/db.ts";
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
  /** when the latest password-change ticket was issued; null = none yet */
  ticketIssuedAt: Date | null;
}

export async function findByToken(
  db: Queryable,
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
    ticket_issued_at: Date | string | null;
  }>(
    `select i.id, i.tenant_id, t.name as tenant_name, i.user_id, i.email, i.state,
            coalesce(i.expires_at < now(), false) as expired, i.ticket_issued_at
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
    ticketIssuedAt: row.ticket_issued_at
      ? new Date(row.ticket_issued_at)
      : null,
  };
}
