// The members feature's SQL: the members list (one union query per page, built here), the Auth0
// mirror (members, member_sync), role changes and removals. Only this file talks to the database.
import type { AppUser } from "../../auth0/types.ts";
import type { Queryable } from "../../db/db.ts";
import { reconcileDueCondition } from "../../invitation-lifecycle/repository.ts";
import { AppError } from "../../errors.ts";
import type { TenantRole } from "../../shared-contract.ts";
import type { MemberState } from "./contract.ts";

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

// The search text of a row (lower-case email and names), stored and trigram-indexed (migration 013).
const INVITATION_SEARCH = `i.search`;
const MEMBER_SEARCH = `m.search`;

// People in Auth0 without an invitation (the second half of the list).
const MEMBER_FROM = `from members m where m.tenant_id = $1 and not m.invited`;
const INVITATION_FROM = `from invitations i left join members m on m.user_id = i.user_id where i.tenant_id = $1`;
// The same rows without the mirror, for a search's keys when no condition reads m: PostgreSQL 15
// kept the unused left join in the sort (a hash join over the whole members table, 4 of hopper's
// 7 ms), though members.user_id is unique (docs/benchmarks.md, members).
const INVITATION_ONLY_FROM = `from invitations i where i.tenant_id = $1`;
// Invitations of blocked/removed people start from the (few) mirrored users in that state.
const FROM_MIRROR = `from members m join invitations i on i.user_id = m.user_id
  where m.tenant_id = $1 and i.tenant_id = $1 and i.state in ('created','emailed','verified','accepted')`;

// Conditions of the badge cases above, for the filter (the left-joined m may be null).
const NOT_GONE = `m.removed_at is null and m.blocked is not true`;
const NOT_EXPIRED = `(i.expires_at is null or i.expires_at > now())`;
const EXPIRED = `i.expires_at <= now()`;

/** One part of the invitations' half of the list (invitationParts). */
interface InvitationPart {
  /** FROM … WHERE of the part's rows, the mirror left-joined as m */
  from: string;
  /**
   * When a condition of the part reads the mirror: the part's invitations without the join, and
   * that condition. A search's walk reads the mirror only for the invitations the search matches
   * (a handful of its 4 pages for a rare term) instead of for every row it walks.
   */
  unjoined?: { from: string; mirror: string };
}

/**
 * The invitations showing badge `state`, as index-friendly parts whose conditions are exactly the
 * badge's case in INVITATION_STATE (plain conditions, not `case … = $state`, so that the planner
 * estimates them): one part per stored state, each an ordered walk of
 * (tenant_id, state, email, user_id); blocked/removed from the mirror's partial indexes.
 */
function invitationParts(
  state: MemberState | undefined,
  stateColumn = "i.state",
): InvitationPart[] {
  const stored = (
    s: string,
    invitation = "true",
    mirror?: string,
  ): InvitationPart => {
    const own = `${stateColumn} = '${s}' and ${invitation}`;
    return mirror
      ? {
          from: `${INVITATION_FROM} and ${own} and ${mirror}`,
          unjoined: { from: `${INVITATION_ONLY_FROM} and ${own}`, mirror },
        }
      : { from: `${INVITATION_FROM} and ${own}` };
  };
  switch (state) {
    case undefined:
      return [{ from: INVITATION_FROM }];
    case "removed":
      return [{ from: `${FROM_MIRROR} and m.removed_at is not null` }];
    case "blocked":
      return [
        { from: `${FROM_MIRROR} and m.blocked and m.removed_at is null` },
      ];
    case "active":
      return [stored("accepted", "true", NOT_GONE)];
    case "failed":
    case "revoked":
      return [stored(state)];
    case "expired":
      return [
        stored("queued", EXPIRED),
        stored("importing", EXPIRED),
        ...["created", "emailed", "verified"].map((s) =>
          stored(s, EXPIRED, NOT_GONE),
        ),
      ];
    case "verified":
      return [
        stored("verified", NOT_EXPIRED, NOT_GONE),
        ...["created", "emailed"].map((s) =>
          stored(s, NOT_EXPIRED, `${NOT_GONE} and m.email_verified`),
        ),
      ];
    case "created":
    case "emailed":
      return [
        stored(
          state,
          NOT_EXPIRED,
          `${NOT_GONE} and m.email_verified is not true`,
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
  /** the cursor's key: (email, user_id) of the previous page's last row */
  after: readonly string[] | null;
  /** a `like` pattern, lower-case */
  pattern: string | null;
  state: MemberState | undefined;
  role?: TenantRole | undefined;
  /** one person only (getMember) */
  userId?: string | null | undefined;
  limit: number;
}

/** A search first walks this many pages of each part in order before it sorts every match. */
const WALK_PAGES = 4;

/** The list's statement: its common table expressions and its final select (ordered, one page). */
interface ListStatement {
  ctes: string[];
  body: string;
}

/** The members list of `a` as one statement. */
export function listQuery(a: ListArgs): { sql: string; params: unknown[] } {
  const params: unknown[] = [a.tenantId, a.limit];
  const { ctes, body } = listStatement(a, params);
  return {
    sql: ctes.length ? `with ${ctes.join(",\n")}\n${body}` : body,
    params,
  };
}

/** How often the members page may start a reconciliation (invitation-lifecycle/reconcile.ts). */
export interface ReconcileWindow {
  graceMs: number;
  minIntervalMs: number;
}

/**
 * The members page in one statement: from the tenant's row, the mirror's last refresh and whether
 * a reconciliation with Auth0 is due (reconcileDueCondition), and the list of `a` as one JSON
 * array in list order. No row: there is no such tenant. One JSON value instead of a row per
 * person: on PGlite, sending and decoding 51 rows of 12 columns field by field cost more than
 * reading them (0.6 of the list's 1.4 ms; docs/benchmarks.md, members).
 */
export function pageQuery(
  a: ListArgs,
  reconcile: ReconcileWindow,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [a.tenantId, a.limit];
  const { ctes, body } = listStatement(a, params);
  const grace = `$${params.push(reconcile.graceMs)}::int`;
  const interval = `$${params.push(Math.round(reconcile.minIntervalMs))}::int`;
  const meta = `page_meta as materialized (
    select s.synced_at, ${reconcileDueCondition("$1", grace, interval)} as reconcile_due
      from tenants t left join member_sync s on s.tenant_id = t.id where t.id = $1)`;
  return {
    sql: `with ${[meta, ...ctes].join(",\n")}
      select page_meta.synced_at, page_meta.reconcile_due,
        (select coalesce(json_agg(x order by x.email, x.user_id), '[]') from (${body}) x) as rows
        from page_meta`,
    params,
  };
}

/** Builds the list's statement; `params` holds $1 (tenant) and $2 (limit), and gets the others. */
function listStatement(a: ListArgs, params: unknown[]): ListStatement {
  // $1 tenant and $2 limit always; the cursor and pattern only when given.
  const param = (v: unknown): string => `$${params.push(v)}::text`;
  const cursor = a.after
    ? ([param(a.after[0]), param(a.after[1])] as const)
    : null;
  const pattern = a.pattern === null ? null : param(a.pattern);
  const after = (t: string) =>
    cursor
      ? ` and (${t}.email, ${t}.user_id) > (${cursor[0]}, ${cursor[1]})`
      : "";
  // With a search of 3 characters or more, a part whose short walk (below) fell short sorts its
  // trigram matches instead of walking the email index further: the planner cannot estimate a rare
  // `like '%…%'` below its histogram's 1 % and would otherwise walk thousands of rows past the
  // trigram index (docs/benchmarks.md, members; docs/decisions/014-members-search-column.md). Same
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
  const members = memberCondition(a.state);
  if (trigram) {
    // A search answers each part of the union in one of two ways, both exact:
    // - walk: the first WALK_PAGES pages' worth of the part's rows in keyset order from the cursor
    //   (the email index), keeping those that match. Enough when matches are dense (a domain, a
    //   common name): then it stops after a few hundred rows, where sorting every match would touch
    //   thousands;
    // - otherwise every trigram match (the part's GIN bitmap) sorted, one page kept.
    // The walk always runs; the sort only when the walk found less than a page before its cap, so a
    // rare term costs the walk plus its (small) bitmap. Each part returns only the keys of its
    // matches; the members join and the badge are computed afterwards for the one page shown
    // (docs/benchmarks.md, members).
    const ctes: string[] = [];
    const keys: string[] = [];
    const part = (
      t: "i" | "m",
      select: string,
      walk: { from: string; hit: string },
      sortFrom: string,
    ) => {
      const n = keys.length;
      const search = t === "i" ? INVITATION_SEARCH : MEMBER_SEARCH;
      ctes.push(
        `w${n} as materialized (select ${select}, ${walk.hit} as hit ${walk.from}${after(t)}${only(t)}
           order by ${t}.email, ${t}.user_id limit $2 * ${WALK_PAGES}),
         d${n} as materialized (select count(*) filter (where hit) >= $2 or count(*) < $2 * ${WALK_PAGES} as done from w${n})`,
      );
      keys.push(
        `(select email, user_id, invitation from w${n} where hit and (select done from d${n}) limit $2)`,
        `(select ${select} ${sortFrom}${after(t)}${only(t)}${like(search)} and not (select done from d${n})
           order by ${orderBy(t)} limit $2)`,
      );
    };
    const matches = (search: string) => `${search} like ${pattern} escape '\\'`;
    // Without a role, the invitations' keys need no join to the mirror (the part's own conditions
    // aside): PostgreSQL 15 kept the unused left join (docs/benchmarks.md, members).
    const keysOnly = (from: string) =>
      from === INVITATION_FROM && !role ? INVITATION_ONLY_FROM : from;
    // The walk over invitations alone: the mirror's condition is read (CASE: in this order, only
    // then) for the rows the search matches, with the same left-join semantics (m may be absent).
    const walkOf = (p: InvitationPart): { from: string; hit: string } =>
      p.unjoined && !role
        ? {
            from: p.unjoined.from,
            hit: `case when ${matches(INVITATION_SEARCH)} then coalesce((select ${p.unjoined.mirror}
                    from (select 1) one left join members m on m.user_id = i.user_id), false) else false end`,
          }
        : { from: keysOnly(p.from), hit: matches(INVITATION_SEARCH) };
    // The sort hides the stored state from the indexes (`|| ''`, same value) so that it always reads
    // the trigram bitmap: the planner cannot estimate a rare `like` and, depending on what `analyze`
    // sampled, chose a state's own index instead (e.g. invitations_tenant_accepted, 8,000 rows at
    // 100,000 people, the `like` on every one of them: twice the time). docs/benchmarks.md, members.
    const sortParts = invitationParts(a.state, "(i.state || '')");
    invitationParts(a.state).forEach((p, k) =>
      part(
        "i",
        "i.email, i.user_id, i.id as invitation",
        walkOf(p),
        keysOnly(sortParts[k]?.from ?? p.from),
      ),
    );
    if (members !== null) {
      const from = `${MEMBER_FROM} and ${members}`;
      part(
        "m",
        "m.email, m.user_id, null::uuid as invitation",
        { from, hit: matches(MEMBER_SEARCH) },
        from,
      );
    }
    ctes.push(
      `page as materialized (select * from (${keys.join("\n union all ")}) k order by k.email, k.user_id limit $2)`,
    );
    return {
      ctes,
      body: `select * from (
          select ${INVITATION_COLUMNS} from page k join invitations i on i.id = k.invitation left join members m on m.user_id = i.user_id
          union all
          select ${MEMBER_COLUMNS} from page k join members m on m.user_id = k.user_id where k.invitation is null) x
        order by x.email, x.user_id`,
    };
  }
  const parts = invitationParts(a.state).map(
    ({ from }) =>
      `(select ${INVITATION_COLUMNS} ${from}${after("i")}${like(INVITATION_SEARCH)}${only("i")}
        order by ${orderBy("i")} limit $2)`,
  );
  if (members !== null)
    parts.push(
      `(select ${MEMBER_COLUMNS} ${MEMBER_FROM} and ${members}${after("m")}${like(MEMBER_SEARCH)}${only("m")}
        order by ${orderBy("m")} limit $2)`,
    );
  // Each part is at most one page, in order; the page is the first $2 rows of their merge.
  return {
    ctes: [],
    body: `select * from (${parts.join("\n union all ")}) x order by x.email, x.user_id limit $2`,
  };
}

export interface MemberRow {
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

/**
 * The list's plans depend on the tenant ($1: how many people, in which states) and the page size
 * ($2), not on the cursor, the search pattern or a role: on PGlite a plan is made once per tenant
 * and size and reused (db/generic-plans.ts; planning was a fifth to a third of a search's time).
 */
const PLAN_ONCE_PER_TENANT = { genericPlan: { inline: [0, 1] } } as const;

/** One page (or one person) of the members list: `args.limit` rows in (email, user_id) order. */
export async function findMemberRows(
  q: Queryable,
  args: ListArgs,
): Promise<MemberRow[]> {
  const { sql, params } = listQuery(args);
  return (await q.query<MemberRow>(sql, params, PLAN_ONCE_PER_TENANT)).rows;
}

/** The members page (pageQuery): null when there is no such tenant. */
export async function findMembersPage(
  q: Queryable,
  args: ListArgs,
  reconcile: ReconcileWindow,
): Promise<{
  syncedAt: Date | null;
  reconcileDue: boolean;
  rows: MemberRow[];
} | null> {
  const { sql, params } = pageQuery(args, reconcile);
  const row = (
    await q.query<{
      synced_at: Date | string | null;
      reconcile_due: boolean;
      rows: MemberRow[]; // JSON: timestamps as ISO 8601 strings
    }>(sql, params, PLAN_ONCE_PER_TENANT)
  ).rows[0];
  if (!row) return null;
  return {
    syncedAt: row.synced_at === null ? null : new Date(row.synced_at),
    reconcileDue: row.reconcile_due,
    rows: row.rows,
  };
}

// The Auth0 mirror (docs/decisions/003-member-state.md).

export async function upsertMember(
  q: Queryable,
  tenantId: string,
  u: AppUser,
): Promise<void> {
  await q.query(
    `insert into members (user_id, tenant_id, email, name, email_verified, blocked, last_login, auth0_created_at, auth0_updated_at, removed_at, synced_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, null, now())
     on conflict (user_id) do update set tenant_id = excluded.tenant_id, email = excluded.email, name = excluded.name,
       email_verified = excluded.email_verified, blocked = excluded.blocked, last_login = excluded.last_login,
       auth0_created_at = excluded.auth0_created_at, auth0_updated_at = excluded.auth0_updated_at, removed_at = null, synced_at = now()`,
    [
      u.userId,
      tenantId,
      u.email,
      u.name,
      u.emailVerified,
      u.blocked,
      u.lastLogin,
      u.createdAt,
      u.updatedAt,
    ],
  );
}

/** The tenant's refresh lease (2 minutes); null when another refresh holds it. */
export async function takeSyncLease(
  db: Queryable,
  tenantId: string,
): Promise<{ previous: Date | null } | null> {
  await db.query(
    "insert into member_sync (tenant_id) values ($1) on conflict (tenant_id) do nothing",
    [tenantId],
  );
  const r = await db.query<{ synced_at: Date | string | null }>(
    `update member_sync set lease_until = now() + interval '2 minutes'
     where tenant_id = $1 and (lease_until is null or lease_until < now()) returning synced_at`,
    [tenantId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { previous: row.synced_at === null ? null : new Date(row.synced_at) };
}

/** Roles from the admin role's holders: holders are admins, every other present member a member. */
export async function setMirroredRoles(
  db: Queryable,
  tenantId: string,
  adminHolders: string[],
): Promise<void> {
  await db.query(
    `update members set role = case when user_id = any($2::text[]) then 'admin' else 'member' end
     where tenant_id = $1 and removed_at is null`,
    [tenantId, adminHolders],
  );
}

/** After a complete scan: mirrored users the scan did not see were deleted in Auth0. Returns how many. */
export async function markUnseenRemoved(
  db: Queryable,
  tenantId: string,
  scanStarted: Date,
): Promise<number> {
  return (
    await db.query(
      "update members set removed_at = now() where tenant_id = $1 and removed_at is null and synced_at < $2",
      [tenantId, scanStarted],
    )
  ).rowCount;
}

/** Records a finished refresh and releases its lease; the recorded sync time. */
export async function finishSync(
  db: Queryable,
  tenantId: string,
  syncedAt: Date,
): Promise<Date | null> {
  const done = await db.query<{ synced_at: Date | string }>(
    "update member_sync set synced_at = $2, lease_until = null, last_error = null where tenant_id = $1 returning synced_at",
    [tenantId, syncedAt],
  );
  const row = done.rows[0];
  return row ? new Date(row.synced_at) : null;
}

/** Releases the lease of a failed refresh, keeping why it failed. */
export async function failSync(
  db: Queryable,
  tenantId: string,
  error: string,
): Promise<void> {
  await db.query(
    "update member_sync set lease_until = null, last_error = $2 where tenant_id = $1",
    [tenantId, error],
  );
}

/** Whom DELETE …/members/:userId is about: their invitation in the tenant and their mirror row. */
export async function findRemovalTarget(
  db: Queryable,
  tenantId: string,
  userId: string,
): Promise<{
  invitation: { id: string; state: string; email: string } | null;
  member: { email: string; blocked: boolean; removed: boolean } | null;
}> {
  const inv = await db.query<{ id: string; state: string; email: string }>(
    "select id::text, state, email from invitations where tenant_id = $1 and user_id = $2",
    [tenantId, userId],
  );
  const mem = await db.query<{
    email: string;
    blocked: boolean;
    removed: boolean;
  }>(
    "select email, blocked, removed_at is not null as removed from members where tenant_id = $1 and user_id = $2",
    [tenantId, userId],
  );
  return { invitation: inv.rows[0] ?? null, member: mem.rows[0] ?? null };
}

/** The mirror after a removal: blocked (MEMBER_REMOVAL=block) or removed now (delete). */
export async function recordRemoval(
  tx: Queryable,
  r: {
    userId: string;
    tenantId: string;
    email: string;
    removal: "delete" | "block";
  },
): Promise<void> {
  await tx.query(
    `insert into members (user_id, tenant_id, email, blocked, removed_at) values ($1, $2, $3, $4, $5)
     on conflict (user_id) do update set blocked = excluded.blocked or members.blocked, removed_at = excluded.removed_at, synced_at = now()`,
    [
      r.userId,
      r.tenantId,
      r.email,
      r.removal === "block",
      r.removal === "delete" ? new Date() : null,
    ],
  );
}

/** Which tenant each of these users is an active member of, by our records (mirror or accepted invitation). */
export async function findActiveTenantsOf(
  q: Queryable,
  userIds: string[],
): Promise<{ user_id: string; tenant_id: string }[]> {
  return (
    await q.query<{ user_id: string; tenant_id: string }>(
      `select user_id, tenant_id from members
         where user_id = any($1::text[]) and removed_at is null and not blocked
       union
       select user_id, tenant_id from invitations
         where user_id = any($1::text[]) and state = 'accepted'`,
      [userIds],
    )
  ).rows;
}

/** Throws not_found unless the tenant exists. */
export async function ensureTenant(
  db: Queryable,
  tenantId: string,
): Promise<void> {
  const r = await db.query("select 1 from tenants where id = $1", [tenantId]);
  if (r.rowCount === 0) throw new AppError("not_found", "No such tenant");
}

/** The person's invitation in the tenant (id and stored state), if any. */
export async function findInvitationOf(
  db: Queryable,
  tenantId: string,
  userId: string,
): Promise<{ id: string; state: string } | null> {
  const inv = await db.query<{ id: string; state: string }>(
    "select id::text, state from invitations where tenant_id = $1 and user_id = $2",
    [tenantId, userId],
  );
  return inv.rows[0] ?? null;
}

/**
 * Per-tenant lock (pg_advisory_xact_lock, PostgreSQL): role changes of one tenant run one at a time
 * across all instances, so two admins demoting each other at once cannot leave the tenant without one.
 */
export async function lockTenantRoles(
  tx: Queryable,
  tenantId: string,
): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtext($1))", [
    `guestlist:roles:${tenantId}`,
  ]);
}

/** Our records of a role change (Auth0 already has it when `userExists`). */
export async function recordRole(
  tx: Queryable,
  c: {
    tenantId: string;
    userId: string;
    role: TenantRole;
    userExists: boolean;
  },
): Promise<void> {
  // Before the user exists only the invitation changes. If the import created the user meanwhile
  // (after our read), an admin role is owed from now on; a member owes nothing.
  await tx.query(
    `update invitations set role = $3,
       role_due_at = case when $3 = 'admin' and $4 = false and state not in ('queued', 'importing') then now()
                          when $3 = 'member' then null else role_due_at end,
       updated_at = now()
     where tenant_id = $1 and user_id = $2`,
    [c.tenantId, c.userId, c.role, c.userExists],
  );
  if (!c.userExists) return;
  // The explicit change settles any assignment still owed.
  await tx.query(
    `update invitations set role_due_at = null, role_lease_owner = null, role_lease_until = null
     where tenant_id = $1 and user_id = $2`,
    [c.tenantId, c.userId],
  );
  await tx.query(
    "update members set role = $2 where user_id = $1 and tenant_id = $3",
    [c.userId, c.role, c.tenantId],
  );
}
