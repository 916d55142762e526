// The support feature's SQL: one person's invitation history across tenants, tenant names, the
// mirrored roles, and a fresh token for an open invitation (copy invitation link).
import type { Queryable } from "../../db/db.ts";
import type { TenantRole } from "../../shared-contract.ts";
import type { InvitationHistoryItem } from "./contract.ts";

export interface HistoryRow {
  id: string;
  tenant_id: string;
  user_id: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  state: InvitationHistoryItem["state"];
  role: TenantRole;
  expired: boolean;
  invited_by: string | null;
  created_at: Date | string;
  expires_at: Date | string | null;
  emailed_at: Date | string | null;
  accepted_at: Date | string | null;
  revoked_at: Date | string | null;
  failure_reason: string | null;
  ticket_issued_at: Date | string | null;
}

/** Every tenant's invitations of this email, newest first (at most 200). */
export async function findInvitationHistory(
  db: Queryable,
  email: string,
): Promise<HistoryRow[]> {
  return (
    await db.query<HistoryRow>(
      `select id::text, tenant_id, user_id, email, given_name, family_name, state, role,
         (expires_at is not null and expires_at <= now() and state not in ('accepted','failed','revoked')) as expired,
         coalesce(invited_by_email, invited_by) as invited_by, created_at, expires_at, emailed_at, accepted_at, revoked_at, failure_reason, ticket_issued_at
       from invitations where email = $1 order by created_at desc limit 200`,
      [email],
    )
  ).rows;
}

export async function findTenantNames(
  db: Queryable,
): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; name: string }>(
    "select id, name from tenants",
  );
  return new Map(r.rows.map((t) => [t.id, t.name]));
}

export async function findTenantName(
  db: Queryable,
  tenantId: string,
): Promise<string | null> {
  return (
    (
      await db.query<{ name: string }>(
        "select name from tenants where id = $1",
        [tenantId],
      )
    ).rows[0]?.name ?? null
  );
}

/** The mirrored Auth0 role (members.role) of each of these users that has one. */
export async function findMirroredRoles(
  db: Queryable,
  userIds: string[],
): Promise<Map<string, TenantRole>> {
  const r = await db.query<{ user_id: string; role: TenantRole }>(
    "select user_id, role from members where user_id = any($1::text[]) and role is not null",
    [userIds],
  );
  return new Map(r.rows.map((m) => [m.user_id, m.role]));
}

/** The person's open invitation with its tenant's invitation lifetime, locked for a new token. */
export async function findOpenInvitationForUpdate(
  tx: Queryable,
  userId: string,
): Promise<
  | { id: string; tenant_id: string; email: string; lifetime_days: number }
  | undefined
> {
  return (
    await tx.query<{
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
    )
  ).rows[0];
}

/** The invitation's link is now this token (by hash): the previous link stops working. */
export async function setInvitationToken(
  tx: Queryable,
  invitationId: string,
  tokenHash: string,
  expiresAt: Date,
): Promise<void> {
  await tx.query(
    "update invitations set token_hash = $2, expires_at = $3, updated_at = now() where id = $1",
    [invitationId, tokenHash, expiresAt.toISOString()],
  );
}
