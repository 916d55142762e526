// The members list: invitations (with the Auth0 mirror joined) plus mirrored users without an
// invitation, one state badge each, keyset-paged on (email, user_id) so page N costs what page 1 does.
// Built for 100,000 people per tenant: every part of the union is an ordered index walk (or, for
// blocked/removed, a short list from the mirror) limited to one page; a search is `like '%q%'` on
// the expressions of the trigram indexes (migration 007). Nothing here counts rows.
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
const INVITATION_ROLE = `(case when i.role_due_at is not null or m.role is null then i.role else m.role end)`;
const MEMBER_ROLE = `coalesce(m.role, 'member')`;

const INVITATION_COLUMNS = `i.user_id, i.email, coalesce(m.name, nullif(concat_ws(' ', i.given_name, i.family_name), '')) as name,
  ${INVITATION_STATE} as state,
  coalesce(m.email_verified, false) or i.verified_at is not null or i.state = 'accepted' as email_verified,
  coalesce(i.invited_by_email, i.invited_by) as invited_by, i.created_at as invited_at, i.expires_at,
  m.last_login, i.failure_reason, i.id::text as invitation_id, ${INVITATION_ROLE} as role`;

const MEMBER_COLUMNS = `m.user_id, m.email, m.name, ${MEMBER_STATE}, m.email_verified, null, null, null, m.last_login, null, null, ${MEMBER_ROLE}`;

// The search text of a row; the same expressions as the trigram indexes of migration 007.
const INVITATION_SEARCH = `lower(i.email || ' ' || coalesce(i.given_name, '') || ' ' || coalesce(i.family_name, ''))`;
const MEMBER_SEARCH = `lower(m.email || ' ' || coalesce(m.name, ''))`;

const INVITATION_FROM = `from invitations i left join members m on m.user_id = i.user_id where i.tenant_id = $1`;
// Invitations of blocked/removed people start from the (few) mirrored users in that state.
const FROM_MIRROR = `from members m join invitations i on i.user_id = m.user_id
  where m.tenant_id = $1 and i.tenant_id = $1 and i.state in ('created','emailed','verified','accepted')`;

// Conditions of the badge cases above, for the filter (the left-joined m may be null).
const NOT_GONE = `m.removed_at is null and m.blocked is not true`;
const NOT_EXPIRED = `(i.expires_at is null or i.expires_at > now())`;
const EXPIRED = `i.expires_at <= now()`;

/**
 * The invitations showing badge `state`, as index-friendly parts whose conditions are exactly the
 * badge's case in INVITATION_STATE (plain conditions, not `case … = $state`, so that the planner
 * estimates them): one part per stored state, each an ordered walk of
 * (tenant_id, state, email, user_id); blocked/removed from the mirror's partial indexes.
 */
function invitationParts(state: MemberState | undefined): string[] {
  const stored = (s: string, condition = "true") =>
    `${INVITATION_FROM} and i.state = '${s}' and ${condition}`;
  switch (state) {
    case undefined:
      return [INVITATION_FROM];
    case "removed":
      return [`${FROM_MIRROR} and m.removed_at is not null`];
    case "blocked":
      return [`${FROM_MIRROR} and m.blocked and m.removed_at is null`];
    case "active":
      return [stored("accepted", NOT_GONE)];
    case "failed":
    case "revoked":
      return [stored(state)];
    case "expired":
      return [
        stored("queued", EXPIRED),
        stored("importing", EXPIRED),
        ...["created", "emailed", "verified"].map((s) =>
          stored(s, `${NOT_GONE} and ${EXPIRED}`),
        ),
      ];
    case "verified":
      return [
        stored("verified", `${NOT_GONE} and ${NOT_EXPIRED}`),
        ...["created", "emailed"].map((s) =>
          stored(s, `${NOT_GONE} and ${NOT_EXPIRED} and m.email_verified`),
        ),
      ];
    case "created":
    case "emailed":
      return [
        stored(
          state,
          `${NOT_GONE} and ${NOT_EXPIRED} and m.email_verified is not true`,
        ),
      ];
    case "queued":
    case "importing":
      return [stored(state, NOT_EXPIRED)];
  }
}

/** People in Auth0 without an invitation who can show badge `state` (null: none can). */
function memberCondition(state: MemberState | undefined): string | null {
  switch (state) {
    case undefined:
      return "true";
    case "active":
      return "not m.blocked and m.removed_at is null";
    case "blocked":
      return "m.blocked and m.removed_at is null";
    case "removed":
      return "m.removed_at is not null";
    default:
      return null;
  }
}

export interface ListArgs {
  tenantId: string;
  after: [string, string] | null;
  /** a `like` pattern, lower-case */
  pattern: string | null;
  state: MemberState | undefined;
  role?: TenantRole | undefined;
  /** one person only (getMember) */
  userId?: string | null | undefined;
  limit: number;
}

export function listQuery(a: ListArgs): { sql: string; params: unknown[] } {
  // $1 tenant and $2 limit always; the cursor and pattern only when given.
  const params: unknown[] = [a.tenantId, a.limit];
  const param = (v: unknown): string => `$${params.push(v)}::text`;
  const cursor = a.after
    ? ([param(a.after[0]), param(a.after[1])] as const)
    : null;
  const pattern = a.pattern === null ? null : param(a.pattern);
  const after = (t: string) =>
    cursor
      ? ` and (${t}.email, ${t}.user_id) > (${cursor[0]}, ${cursor[1]})`
      : "";
  // With a search of 3 characters or more, each part sorts its matches instead of walking the
  // email index: the planner cannot estimate a rare `like '%…%'` below its histogram's 1 % and would
  // otherwise walk thousands of rows past the trigram index (docs/benchmarks.md, members). Same
  // order (`|| ''` only hides the index); shorter searches have no trigram and walk in order.
  const trigram = (a.pattern?.replace(/%/g, "").length ?? 0) >= 3;
  const orderBy = (t: string) =>
    trigram ? `${t}.email || '', ${t}.user_id` : `${t}.email, ${t}.user_id`;
  const like = (expr: string) =>
    pattern ? ` and ${expr} like ${pattern} escape '\\'` : "";
  // Role and person filters go into every part (each part is limited to one page).
  const role = a.role ? param(a.role) : null;
  const user = a.userId ? param(a.userId) : null;
  const only = (t: "i" | "m") =>
    (role
      ? ` and ${t === "i" ? INVITATION_ROLE : MEMBER_ROLE} = ${role}`
      : "") + (user ? ` and ${t}.user_id = ${user}` : "");
  const parts = invitationParts(a.state).map(
    (from) =>
      `(select ${INVITATION_COLUMNS} ${from}${after("i")}${like(INVITATION_SEARCH)}${only("i")}
        order by ${orderBy("i")} limit $2)`,
  );
  const members = memberCondition(a.state);
  if (members !== null)
    parts.push(
      `(select ${MEMBER_COLUMNS} from members m where m.tenant_id = $1 and ${members}${after("m")}${like(MEMBER_SEARCH)}${only("m")}
          and not m.invited
        order by ${orderBy("m")} limit $2)`,
    );
  // Each part is at most one page, in order; the page is the first $2 rows of their merge.
  return {
    sql: `select * from (${parts.join("\n union all ")}) x order by x.email, x.user_id limit $2`,
    params,
  };
}

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
  const { sql, params } = listQuery({
    tenantId,
    role: query.role,
    userId,
    after: query.cursor ? decodeCursor(query.cursor) : null,
    pattern: query.q ? `%${escapeLike(query.q.toLowerCase())}%` : null,
    state: query.state,
    limit: query.limit + 1,
  });
  const rows = (await q.query<Row>(sql, params)).rows;
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
