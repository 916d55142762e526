// Invitation lookups and state changes for the invitee's journey. Tokens are looked up by hash.
// State changes here are driven only by Auth0's record (reconcile.ts), never by what a browser sends.
import { audit } from "../../audit-log.ts";
import type { Db, Queryable } from "../../db/db.ts";
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

export const OPEN_STATES = ["created", "emailed", "verified"] as const;

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

/**
 * Records that a password-change ticket is about to be issued (called BEFORE Auth0 creates it, so a
 * password set with it is always later than ticket_issued_at). Returns the recorded issue time.
 */
export async function recordPasswordTicket(
  q: Queryable,
  invitationId: string,
  ttlSec: number,
): Promise<void> {
  await q.query(
    `update invitations set ticket_issued_at = now(), ticket_expires_at = now() + $2::int * interval '1 second',
       updated_at = now()
     where id = $1 and state in ('created', 'emailed', 'verified')`,
    [invitationId, ttlSec],
  );
}

/** The same for a person's open invitation, by Auth0 user id (support's password link). */
export async function recordPasswordTicketForUser(
  q: Queryable,
  userId: string,
  ttlSec: number,
): Promise<void> {
  await q.query(
    `update invitations set ticket_issued_at = now(), ticket_expires_at = now() + $2::int * interval '1 second',
       updated_at = now()
     where user_id = $1 and state in ('created', 'emailed', 'verified')`,
    [userId, ttlSec],
  );
}

/** created/emailed → verified, only because Auth0 says email_verified. */
export async function markVerified(db: Queryable, id: string): Promise<void> {
  await db.query(
    `update invitations set state = 'verified', verified_at = coalesce(verified_at, now()), updated_at = now()
     where id = $1 and state in ('created', 'emailed')`,
    [id],
  );
}

/**
 * Open → accepted, only because Auth0's record says the password was set after the ticket was
 * issued or the person signed in (reconcile.ts decides). Audited once.
 */
export async function markAccepted(
  db: Db,
  id: string,
  evidence: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{
      tenant_id: string;
      user_id: string;
      email: string;
    }>(
      `update invitations set state = 'accepted', accepted_at = now(), verified_at = coalesce(verified_at, now()),
         mail_due_at = null, updated_at = now()
       where id = $1 and state in ('created', 'emailed', 'verified') returning tenant_id, user_id, email`,
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
      details: { evidence },
    });
    return true;
  });
}
