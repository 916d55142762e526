// GET /api/support/users?email=: one person across tenants (Auth0 + our invitation history).
import type { AppUser, Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { applyAuth0Record } from "../../invitation-lifecycle/reconcile.ts";
import type { SupportUserResult, SupportUserSearch } from "./contract.ts";
import {
  findInvitationHistory,
  findMirroredRoles,
  findTenantNames,
} from "./repository.ts";

const iso = (v: Date | string | null) =>
  v === null ? null : new Date(v).toISOString();

export async function findPerson(
  deps: { db: Db; auth0: Pick<Auth0, "usersByEmail"> },
  email: string,
): Promise<SupportUserSearch> {
  const { db, auth0 } = deps;
  const [users, invitations, tenantName] = await Promise.all([
    auth0.usersByEmail(email),
    findInvitationHistory(db, email),
    findTenantNames(db),
  ]);
  // Support opened the person: Auth0's record (already fetched, no extra call) settles their
  // open invitation at once, as the sweep would (reconcile.ts).
  const auth0ById = new Map(users.map((u) => [u.userId, u]));
  for (const r of invitations) {
    const u = auth0ById.get(r.user_id);
    if (!u || r.expired) continue;
    if (
      r.state !== "created" &&
      r.state !== "emailed" &&
      r.state !== "verified"
    )
      continue;
    const change = await applyAuth0Record(
      db,
      {
        id: r.id,
        ticketIssuedAt: r.ticket_issued_at
          ? new Date(r.ticket_issued_at)
          : null,
      },
      u,
    );
    if (change === "accepted") {
      r.state = "accepted";
      r.accepted_at = new Date();
    } else if (change === "verified") r.state = "verified";
  }
  const byUser = new Map<string, SupportUserResult>();
  const add = (
    userId: string,
    tenantId: string | null,
    name: string | null,
    auth0User: AppUser | null,
  ) => {
    const existing = byUser.get(userId);
    if (existing) return existing;
    const tenant = tenantId
      ? { id: tenantId, name: tenantName.get(tenantId) ?? tenantId }
      : null;
    const auth0View = auth0User
      ? {
          emailVerified: auth0User.emailVerified,
          blocked: auth0User.blocked,
          lastLogin: auth0User.lastLogin,
          createdAt: auth0User.createdAt,
        }
      : null;
    const result: SupportUserResult = {
      userId,
      email,
      name,
      tenant,
      role: null,
      auth0: auth0View,
      invitations: [],
    };
    byUser.set(userId, result);
    return result;
  };
  for (const u of users) add(u.userId, u.tenantId, u.name, u);
  for (const r of invitations) {
    const name =
      [r.given_name, r.family_name].filter(Boolean).join(" ") || null;
    add(r.user_id, r.tenant_id, name, null).invitations.push({
      invitationId: r.id,
      tenantId: r.tenant_id,
      userId: r.user_id,
      state: r.expired ? "expired" : r.state,
      role: r.role,
      invitedBy: r.invited_by,
      invitedAt: new Date(r.created_at).toISOString(),
      expiresAt: iso(r.expires_at),
      emailedAt: iso(r.emailed_at),
      acceptedAt: iso(r.accepted_at),
      revokedAt: iso(r.revoked_at),
      failureReason: r.failure_reason,
    });
  }
  // The role in the person's tenant, from Guestlist's records without another Auth0 call: the
  // mirrored Auth0 role (members.role, written by role changes, the role step and the members
  // refresh), else what their newest invitation grants.
  const roleOf = await findMirroredRoles(db, [...byUser.keys()]);
  for (const item of byUser.values())
    if (item.tenant)
      item.role =
        roleOf.get(item.userId) ?? item.invitations[0]?.role ?? "member";
  return { items: [...byUser.values()] };
}
