// The members list: invitations (with the Auth0 mirror joined) plus mirrored users without an
// invitation, one state badge each, keyset-paged on (email, user_id) so page N costs what page 1 does.
import type { Queryable } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { TenantRole } from "../../shared-contract.ts";
import type { Member, MembersQuery, MemberState } from "./contract.ts";

const INVITATION_STATE = `case
  when m.removed_at is not null and i.state in ('created','emailed','verified','accepted') then 'removed'
  when m.blocked and i.state in ('created','emailed','verified','accepted') then 'blocked'
  when i.state = 'accepted' then 'active'
  when i.state in ('failed','revoked') then i.state
  when i.expires_at is not null and i.expires_at <= now() then 'expired'
  when i.state in ('created','emailed') and m.email_verified then 'verified'
  else i.state end`;

const MEMBER_STATE = `case when m.removed_at is not null then 'removed' when m.blocked then 'blocked' else 'active' end`;

// The role: Auth0's, as mirrored (members.role), once known; the invitation's while its role is still
// owed (role-step.ts) or nothing was mirrored yet.
const INVITATION_ROLE = `case when i.role_due_at is not null or m.role is null then i.role else m.role end`;

const LIST_SQL = `
  select * from (
    select i.user_id, i.email, coalesce(m.name, nullif(concat_ws(' ', i.given_name, i.family_name), '')) as name,
      ${INVITATION_STATE} as state,
      coalesce(m.email_verified, false) or i.verified_at is not null or i.state = 'accepted' as email_verified,
      coalesce(i.invited_by_email, i.invited_by) as invited_by, i.created_at as invited_at, i.expires_at,
      m.last_login, i.failure_reason, i.id::text as invitation_id,
      ${INVITATION_ROLE} as role
    from invitations i left join members m on m.user_id = i.user_id
    where i.tenant_id = $1 and ($2::text is null or (i.email, i.user_id) > ($2::text, $3::text))
    union all
    select m.user_id, m.email, m.name, ${MEMBER_STATE}, m.email_verified, null, null, null, m.last_login, null, null,
      coalesce(m.role, 'member')
    from members m
    where m.tenant_id = $1 and ($2::text is null or (m.email, m.user_id) > ($2::text, $3::text))
      and not exists (select 1 from invitations i where i.user_id = m.user_id)
  ) x
  where ($4::text is null or x.state = $4::text)
    and ($7::text is null or x.role = $7::text)
    and ($8::text is null or x.user_id = $8::text)
    and ($5::text is null or x.email like $5::text || '%' escape '\\' or x.name ilike '%' || $5::text || '%' escape '\\')
  order by x.email, x.user_id
  limit $6`;

interface Row {
  user_id: string;
  email: string;
  name: string | null;
  state: MemberState;
  email_verified: boolean;
  invited_by: string | null;
  invited_at: Date | string | null;
  expires_at: Date | string | null;
  last_login: Date | string | null;
  failure_reason: string | null;
  invitation_id: string | null;
  role: TenantRole;
}

const iso = (v: Date | string | null): string | null =>
  v === null ? null : new Date(v).toISOString();

export function encodeCursor(email: string, userId: string): string {
  return Buffer.from(JSON.stringify([email, userId])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    );
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === "string" &&
      typeof v[1] === "string"
    )
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new AppError("validation", "Invalid cursor");
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One person of the tenant as the list shows them, or null. */
export async function getMember(
  q: Queryable,
  tenantId: string,
  userId: string,
): Promise<Member | null> {
  const page = await listMembers(q, tenantId, { limit: 1 }, userId);
  return page.items[0] ?? null;
}

export async function listMembers(
  q: Queryable,
  tenantId: string,
  query: Pick<MembersQuery, "limit"> & Partial<MembersQuery>,
  userId: string | null = null,
): Promise<{ items: Member[]; nextCursor: string | null }> {
  const [afterEmail, afterUser] = query.cursor
    ? decodeCursor(query.cursor)
    : [null, null];
  const search = query.q ? escapeLike(query.q.toLowerCase()) : null;
  const rows = (
    await q.query<Row>(LIST_SQL, [
      tenantId,
      afterEmail,
      afterUser,
      query.state ?? null,
      search,
      query.limit + 1,
      query.role ?? null,
      userId,
    ])
  ).rows;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      state: r.state,
      role: r.role,
      emailVerified: r.email_verified,
      invitedBy: r.invited_by,
      invitedAt: iso(r.invited_at),
      expiresAt: iso(r.expires_at),
      lastLogin: iso(r.last_login),
      failureReason: r.failure_reason,
      invitationId: r.invitation_id,
    })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor(last.email, last.user_id)
        : null,
  };
}
