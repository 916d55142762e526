// The invitations feature's SQL: what the preview knows from our tables, an import's progress and
// rows, and resending (retire the token, owe a new email). Enqueuing an import is the pipeline's
// (pipeline/enqueue.ts).
import type { Queryable } from "../../db/db.ts";
import type { InvitationState, TenantRole } from "../../shared-contract.ts";
import type { BulkResendInput } from "./contract.ts";

// --- preview ---------------------------------------------------------------------------------

export async function findAllowedDomains(
  db: Queryable,
  tenantId: string,
): Promise<string[] | null> {
  return (
    (
      await db.query<{ allowed_domains: string[] }>(
        "select allowed_domains from tenants where id = $1",
        [tenantId],
      )
    ).rows[0]?.allowed_domains ?? null
  );
}

/**
 * Our own records of these emails, without shipping the file to the database: this tenant's people
 * (bounded by its seats and history) and other tenants' people in the domains the file uses.
 */
export async function findKnownPeople(
  db: Queryable,
  tenantId: string,
  domains: string[],
): Promise<{ kind: "member" | "invited" | "other"; email: string }[]> {
  return (
    await db.query<{ kind: "member" | "invited" | "other"; email: string }>(
      `select 'member' as kind, email from members where tenant_id = $1 and removed_at is null
       union all
       select case when state = 'accepted' then 'member' else 'invited' end, email
         from invitations where tenant_id = $1 and state not in ('failed', 'revoked')
       union all
       select 'other', email from invitations
         where tenant_id <> $1 and state not in ('failed', 'revoked') and split_part(email, '@', 2) = any($2::text[])
       union all
       select 'other', email from members where tenant_id <> $1 and removed_at is null and split_part(email, '@', 2) = any($2::text[])`,
      [tenantId, domains],
    )
  ).rows;
}

// --- progress --------------------------------------------------------------------------------

/** An invitation's state as shown: open and past its expiry = expired. */
const STATE_SQL = `case when i.state in ('created', 'emailed', 'verified') and i.expires_at < now() then 'expired' else i.state end`;

export interface ImportRecord {
  id: string;
  tenant_id: string;
  created_at: Date | string;
  created_by: string | null;
  row_count: number;
}

export async function findImport(
  db: Queryable,
  tenantId: string,
  importId: string,
): Promise<ImportRecord | undefined> {
  return (
    await db.query<ImportRecord>(
      `select id, tenant_id, created_at, coalesce(created_by_email, created_by) as created_by, row_count
       from imports where id = $1 and tenant_id = $2`,
      [importId, tenantId],
    )
  ).rows[0];
}

export async function importExists(
  db: Queryable,
  tenantId: string,
  importId: string,
): Promise<boolean> {
  const r = await db.query(
    "select 1 from imports where id = $1 and tenant_id = $2",
    [importId, tenantId],
  );
  return r.rowCount > 0;
}

/** How many of the import's invitations show each state. */
export async function countImportStates(
  db: Queryable,
  importId: string,
): Promise<{ s: InvitationState; n: number }[]> {
  return (
    await db.query<{ s: InvitationState; n: number }>(
      `select ${STATE_SQL} as s, count(*)::int as n from invitations i where i.import_id = $1 group by 1`,
      [importId],
    )
  ).rows;
}

/** Why the import's work is waiting now (a batch or an email), if it is. */
export async function findWaitingReason(
  db: Queryable,
  importId: string,
): Promise<string | null> {
  const waiting = await db.query<{ reason: string }>(
    `(select waiting_reason as reason from import_batches where import_id = $1 and waiting_reason is not null
       and state in ('pending', 'submitting', 'submitted') limit 1)
     union all
     (select waiting_reason from invitations where import_id = $1 and waiting_reason is not null and mail_due_at is not null limit 1)
     limit 1`,
    [importId],
  );
  return waiting.rows[0]?.reason ?? null;
}

/** Admin roles still owed by the role step (pipeline/role-step.ts). */
export async function hasRolesOwed(
  db: Queryable,
  importId: string,
): Promise<boolean> {
  const r = await db.query(
    "select 1 from invitations where import_id = $1 and role_due_at is not null limit 1",
    [importId],
  );
  return r.rowCount > 0;
}

export interface InvitationRecord {
  row_number: number;
  source_row: number | null;
  email: string;
  given_name: string | null;
  family_name: string | null;
  state: InvitationState;
  role: TenantRole;
  failure_code: string | null;
  failure_reason: string | null;
  user_id: string;
}

/** The import's rows after row `afterRow`, in row order, in `state` (all when null), at most `count` (all when null). */
export async function findImportRows(
  db: Queryable,
  importId: string,
  afterRow: number,
  state: InvitationState | null,
  count: number | null,
): Promise<InvitationRecord[]> {
  return (
    await db.query<InvitationRecord>(
      `select * from (
         select i.row_number, i.source_row, i.email, i.given_name, i.family_name, ${STATE_SQL} as state, i.role, i.failure_code, i.failure_reason, i.user_id
         from invitations i where i.import_id = $1 and i.row_number > $2) x
       where $3::text is null or x.state = $3
       order by row_number limit $4`,
      [importId, afterRow, state, count],
    )
  ).rows;
}

// --- resend ----------------------------------------------------------------------------------

/** Retires the open invitation's token and owes a new email now; its email, or null when none is open. */
export async function retireTokenForResend(
  tx: Queryable,
  tenantId: string,
  userId: string,
): Promise<string | null> {
  const r = await tx.query<{ email: string }>(
    `update invitations set token_hash = null, mail_due_at = now(), mail_attempts = 0, updated_at = now()
     where tenant_id = $1 and user_id = $2 and state in ('created', 'emailed', 'verified') returning email`,
    [tenantId, userId],
  );
  return r.rows[0]?.email ?? null;
}

/** The state of the person's newest invitation in the tenant, if any. */
export async function findLatestInvitationState(
  tx: Queryable,
  tenantId: string,
  userId: string,
): Promise<string | null> {
  const existing = await tx.query<{ state: string }>(
    "select state from invitations where tenant_id = $1 and user_id = $2 order by created_at desc limit 1",
    [tenantId, userId],
  );
  return existing.rows[0]?.state ?? null;
}

/** Retires the tokens of the open invitations matching the filter and owes each a new email. */
export async function retireTokensForBulkResend(
  tx: Queryable,
  tenantId: string,
  f: BulkResendInput,
): Promise<number> {
  // Staggered due times pace the outbox (≈ 200 emails/s) so a bulk resend never floods SMTP.
  const r = await tx.query(
    `update invitations i set token_hash = null, mail_due_at = now() + (s.n / 200.0) * interval '1 second',
       mail_attempts = 0, updated_at = now()
     from (select id, row_number() over (order by created_at) - 1 as n from invitations
           where tenant_id = $1 and state in ('created', 'emailed', 'verified')
             and ($2::text is null or ($2 = 'expired' and expires_at < now())
                  or ($2 <> 'expired' and state = $2 and (expires_at is null or expires_at >= now())))
             and ($3::int is null or coalesce(emailed_at, created_at) < now() - $3 * interval '1 day')
           order by created_at limit $4) s
     where i.id = s.id`,
    [tenantId, f.state ?? null, f.olderThanDays ?? null, f.limit],
  );
  return r.rowCount;
}
