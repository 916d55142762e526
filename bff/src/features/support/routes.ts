// GET /api/support/users?email=: one person across tenants (Auth0 + our invitation history).
import type { Feature } from "../../feature.ts";
import { requiresGlobal } from "../../auth.ts";
import type { AppUser } from "../../auth0/types.ts";
import { ErrorBody, type TenantRole } from "../../shared-contract.ts";
import { applyAuth0Record } from "../../invitation-lifecycle/reconcile.ts";
import {
  SupportUserQuery,
  SupportUserSearch,
  type InvitationHistoryItem,
  type SupportUserResult,
} from "./contract.ts";

interface InvRow {
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

const iso = (v: Date | string | null) =>
  v === null ? null : new Date(v).toISOString();

export const supportRoutes: Feature = (app, { db, auth0 }) => {
  app.get(
    "/support/users",
    {
      config: requiresGlobal("read:all_tenants"),
      schema: {
        querystring: SupportUserQuery,
        response: {
          200: SupportUserSearch,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const { email } = request.query;
      const [users, invitations, tenants] = await Promise.all([
        auth0.usersByEmail(email),
        db.query<InvRow>(
          `select id::text, tenant_id, user_id, email, given_name, family_name, state, role,
             (expires_at is not null and expires_at <= now() and state not in ('accepted','failed','revoked')) as expired,
             coalesce(invited_by_email, invited_by) as invited_by, created_at, expires_at, emailed_at, accepted_at, revoked_at, failure_reason, ticket_issued_at
           from invitations where email = $1 order by created_at desc limit 200`,
          [email],
        ),
        db.query<{ id: string; name: string }>("select id, name from tenants"),
      ]);
      // Support opened the person: Auth0's record (already fetched, no extra call) settles their
      // open invitation at once, as the sweep would (reconcile.ts).
      const auth0ById = new Map(users.map((u) => [u.userId, u]));
      for (const r of invitations.rows) {
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
      const tenantName = new Map(tenants.rows.map((t) => [t.id, t.name]));
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
      for (const r of invitations.rows) {
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
      const mirrored = await db.query<{ user_id: string; role: TenantRole }>(
        "select user_id, role from members where user_id = any($1::text[]) and role is not null",
        [[...byUser.keys()]],
      );
      const roleOf = new Map(mirrored.rows.map((r) => [r.user_id, r.role]));
      for (const item of byUser.values())
        if (item.tenant)
          item.role =
            roleOf.get(item.userId) ?? item.invitations[0]?.role ?? "member";
      return { items: [...byUser.values()] };
    },
  );
  return Promise.resolve();
};
