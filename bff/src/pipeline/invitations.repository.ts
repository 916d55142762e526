// Every statement of the pipeline on invitations (migrations 001, 003, 010): the rows of an import
// (enqueue.ts, batch-step.ts, batch-outcome.ts), the email outbox (mail-step.ts) and the role
// outbox (role-step.ts). The outboxes are leased per row (mail_lease_*, role_lease_*); their writes
// are guarded by MAIL_LEASED / ROLE_LEASED below and touch only the rows this worker still holds.
// Set-based throughout: one statement per slice of rows, never one per row.
import type { Queryable } from "../db/db.ts";
import { runSql } from "../db/named-sql.ts";
import type { TenantRole } from "../shared-contract.ts";

export interface InvitationRecord {
  id: string;
  user_id: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  role: TenantRole;
  locale: string | null;
}

/** Rows not yet given an outcome by their import job. */
const OPEN = "state in ('queued', 'importing')";

// --- the rows of an import --------------------------------------------------------------------

/** The user ids of an import's rows, in file order. */
export async function importUserIds(
  q: Queryable,
  importId: string,
): Promise<string[]> {
  const r = await runSql<{ user_id: string }>(
    q,
    "select user_id from invitations where import_id = :importId order by row_number",
    { importId },
  );
  return r.rows.map((u) => u.user_id);
}

/** Those of `emails` with an open invitation of the tenant (not failed, not revoked). */
export async function invitedEmails(
  q: Queryable,
  p: { tenantId: string; emails: readonly string[] },
): Promise<string[]> {
  const r = await runSql<{ email: string }>(
    q,
    `select email from invitations where tenant_id = :tenantId and email = any(:emails::text[])
       and state not in ('failed', 'revoked')`,
    { ...p },
  );
  return r.rows.map((x) => x.email);
}

/** One slice of an import's rows, queued in their batches; columns are parallel arrays. */
export interface InvitationSlice {
  tenantId: string;
  importId: string;
  invitedBy: string;
  invitedByEmail: string | null;
  /** row_number of the slice's first row, minus one */
  offset: number;
  batchIds: string[];
  emails: string[];
  givenNames: (string | null)[];
  familyNames: (string | null)[];
  roles: TenantRole[];
  locales: (string | null)[];
  userIds: string[];
  sourceRows: (number | null)[];
}

export async function insertInvitations(
  q: Queryable,
  s: InvitationSlice,
): Promise<void> {
  await runSql(
    q,
    `insert into invitations (id, tenant_id, import_id, batch_id, row_number, email, given_name, family_name, role, locale,
                              user_id, state, invited_by, invited_by_email, source_row)
     select gen_random_uuid(), :tenantId, :importId, u.batch_id, :offset::int + u.n, u.email, u.given_name, u.family_name,
            u.role, u.locale, u.user_id, 'queued', :invitedBy, :invitedByEmail, u.source_row
     from unnest(:batchIds::uuid[], :emails::text[], :givenNames::text[], :familyNames::text[], :roles::text[],
                 :locales::text[], :userIds::text[], :sourceRows::int[])
          with ordinality as u(batch_id, email, given_name, family_name, role, locale, user_id, source_row, n)`,
    { ...s },
  );
}

/** The batch's rows still waiting for an outcome (queued or importing), in file order. */
export async function openRows(
  q: Queryable,
  batchId: string,
): Promise<InvitationRecord[]> {
  const r = await runSql<InvitationRecord>(
    q,
    `select id, user_id, email, given_name, family_name, role, locale from invitations
     where batch_id = :batchId and ${OPEN} order by row_number`,
    { batchId },
  );
  return r.rows;
}

/** The batch's rows revoked meanwhile (their Auth0 user may exist and must be deleted). */
export async function revokedRows(
  q: Queryable,
  batchId: string,
): Promise<{ user_id: string; email: string }[]> {
  const r = await runSql<{ user_id: string; email: string }>(
    q,
    "select user_id, email from invitations where batch_id = :batchId and state = 'revoked'",
    { batchId },
  );
  return r.rows;
}

/** The batch's job was submitted: its queued rows are importing. */
export async function markImporting(
  q: Queryable,
  p: { batchId: string; jobId: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set state = 'importing', job_id = :jobId, updated_at = now()
     where batch_id = :batchId and state = 'queued'`,
    { ...p },
  );
}

/**
 * The job created these users: each owes an email, and an admin row its role from here on
 * (role-step.ts).
 */
export async function markCreated(
  q: Queryable,
  ids: readonly string[],
): Promise<void> {
  await runSql(
    q,
    `update invitations set state = 'created', mail_due_at = now(),
       role_due_at = case when role = 'admin' then now() else role_due_at end, updated_at = now()
     where id = any(:ids::uuid[]) and ${OPEN}`,
    { ids },
  );
}

/** Users found in Auth0 after their job expired (reconcileExpired in batch-step.ts): created. */
export async function markFoundCreated(
  q: Queryable,
  p: { ids: readonly string[]; batchId: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set state = 'created', mail_due_at = now(), updated_at = now()
     where id = any(:ids::uuid[]) and batch_id = :batchId and ${OPEN}`,
    { ...p },
  );
}

/** Each row with its own failure (from the job's errors). */
export async function markFailedEach(
  q: Queryable,
  failed: readonly { id: string; code: string; reason: string }[],
): Promise<void> {
  await runSql(
    q,
    `update invitations i set state = 'failed', failure_code = f.code, failure_reason = f.reason, updated_at = now()
     from unnest(:ids::uuid[], :codes::text[], :reasons::text[]) as f(id, code, reason)
     where i.id = f.id and i.${OPEN}`,
    {
      ids: failed.map((f) => f.id),
      codes: failed.map((f) => f.code),
      reasons: failed.map((f) => f.reason),
    },
  );
}

/** Every open row of the batch fails with one code and reason. */
export async function failOpenRows(
  q: Queryable,
  p: { batchId: string; code: string; reason: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set state = 'failed', failure_code = :code, failure_reason = :reason, updated_at = now()
     where batch_id = :batchId and ${OPEN}`,
    { ...p },
  );
}

/** Open rows of `fromBatchId` move, queued again, to a new batch. */
export async function moveToBatch(
  q: Queryable,
  p: { ids: readonly string[]; fromBatchId: string; toBatchId: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set batch_id = :toBatchId, state = 'queued', job_id = null, updated_at = now()
     where id = any(:ids::uuid[]) and batch_id = :fromBatchId and ${OPEN}`,
    { ...p },
  );
}

// --- the email outbox (mail-step.ts) ----------------------------------------------------------

export interface MailClaim {
  id: string;
  email: string;
  given_name: string | null;
  mail_attempts: number;
  tenant_name: string;
  /** the new token's hash, one of the hashes given to claimMail */
  token_hash: string;
  expires_at: Date | string;
}

/** The mail lease condition: these rows, still held by this worker. */
const MAIL_LEASED = "id = any(:ids::uuid[]) and mail_lease_owner = :workerId";
/** The mail lease given back. */
const MAIL_RELEASED = "mail_lease_owner = null, mail_lease_until = null";

/**
 * Leases up to `hashes.length` rows that owe an email, oldest due first, and gives each a new
 * token in the same statement: the i-th claimed row gets `hashes[i]` and an expiry of its tenant's
 * lifetime from now. The token is written before any email leaves (the newest email always works),
 * and there is no window where a row is claimed without its token.
 */
export async function claimMail(
  q: Queryable,
  p: { workerId: string; leaseMs: number; hashes: string[] },
): Promise<MailClaim[]> {
  const r = await runSql<MailClaim>(
    q,
    `with c as (
       select id, row_number() over () as rn from (
         select id from invitations
         where mail_due_at <= now() and state in ('created', 'emailed', 'verified')
           and (mail_lease_until is null or mail_lease_until < now())
         order by mail_due_at limit cardinality(:hashes::text[])
         for update skip locked) s)
     update invitations i set mail_lease_owner = :workerId,
       mail_lease_until = now() + :leaseMs * interval '1 millisecond',
       token_hash = (:hashes::text[])[c.rn],
       expires_at = now() + t.invitation_lifetime_days * interval '1 day', updated_at = now()
     from c, tenants t
     where i.id = c.id and t.id = i.tenant_id
     returning i.id, i.email, i.given_name, i.mail_attempts, i.token_hash, i.expires_at, t.name as tenant_name`,
    { ...p },
  );
  return r.rows;
}

/** Sent: guarded by the token hash, so a resend that retired this token still gets its email. */
export async function recordSent(
  q: Queryable,
  p: { ids: string[]; hashes: string[] },
): Promise<void> {
  await runSql(
    q,
    `update invitations i set state = case when i.state = 'created' then 'emailed' else i.state end,
       emailed_at = now(), mail_due_at = null, mail_attempts = 0, ${MAIL_RELEASED},
       waiting_reason = null, last_mail_error = null, updated_at = now()
     from unnest(:ids::uuid[], :hashes::text[]) as s(id, hash)
     where i.id = s.id and i.token_hash = s.hash`,
    { ...p },
  );
}

/** Not delivered (throttled, refused): owed again at dueAt (ISO), with the error and reason. */
export async function recordMailRetry(
  q: Queryable,
  p: {
    ids: string[];
    workerId: string;
    dueAt: string;
    error: string;
    reason: string;
  },
): Promise<void> {
  await runSql(
    q,
    `update invitations set mail_attempts = mail_attempts + 1, mail_due_at = :dueAt::timestamptz,
       ${MAIL_RELEASED}, last_mail_error = :error, waiting_reason = :reason, updated_at = now()
     where ${MAIL_LEASED}`,
    { ...p },
  );
}

/** Not delivered (refused): owed again after waitMs, with the error and reason. */
export async function recordMailFailed(
  q: Queryable,
  p: {
    ids: string[];
    workerId: string;
    waitMs: number;
    error: string;
    reason: string;
  },
): Promise<void> {
  await runSql(
    q,
    `update invitations set mail_attempts = mail_attempts + 1, mail_due_at = now() + :waitMs * interval '1 millisecond',
       ${MAIL_RELEASED}, last_mail_error = :error, waiting_reason = :reason, updated_at = now()
     where ${MAIL_LEASED}`,
    { ...p },
  );
}

/** Never attempted: owed again, not before notBefore (ISO); the reason only when one is given. */
export async function releaseDeferredMail(
  q: Queryable,
  p: {
    ids: string[];
    workerId: string;
    notBefore: string;
    reason: string | null;
  },
): Promise<void> {
  await runSql(
    q,
    `update invitations set ${MAIL_RELEASED},
       mail_due_at = greatest(mail_due_at, :notBefore::timestamptz),
       waiting_reason = coalesce(:reason, waiting_reason), updated_at = now()
     where ${MAIL_LEASED}`,
    { ...p },
  );
}

// --- the role outbox (role-step.ts) -----------------------------------------------------------

export interface RoleClaim {
  id: string;
  user_id: string;
  role_attempts: number;
}

/** Rows whose Auth0 user exists: created by the job, maybe already emailed or accepted. */
const USER_EXISTS = `('created', 'emailed', 'verified', 'accepted')`;
/** The role lease condition: these rows, still held by this worker. */
const ROLE_LEASED = "id = any(:ids::uuid[]) and role_lease_owner = :workerId";
/** Nothing owed any more, the role lease given back. */
const ROLE_SETTLED =
  "role_due_at = null, role_lease_owner = null, role_lease_until = null";

/** A revoked or failed row owes no role any more (its user is deleted or was never created). */
export async function dropStaleRoleDebts(q: Queryable): Promise<void> {
  await runSql(
    q,
    `update invitations set ${ROLE_SETTLED}
     where role_due_at is not null and state not in ${USER_EXISTS}`,
  );
}

/** Leases up to `limit` rows that owe the admin role, oldest due first. */
export async function claimRoles(
  q: Queryable,
  p: { workerId: string; leaseMs: number; limit: number },
): Promise<RoleClaim[]> {
  const r = await runSql<RoleClaim>(
    q,
    `update invitations i set role_lease_owner = :workerId, role_lease_until = now() + :leaseMs * interval '1 millisecond'
     where i.id in (
       select id from invitations
       where role_due_at <= now() and state in ${USER_EXISTS}
         and (role_lease_until is null or role_lease_until < now())
       order by role_due_at limit :limit
       for update skip locked)
     returning i.id, i.user_id, i.role_attempts`,
    { ...p },
  );
  return r.rows;
}

/** Auth0 holds the role now. */
export async function recordRolesAssigned(
  q: Queryable,
  p: { ids: string[]; workerId: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set ${ROLE_SETTLED},
       role_attempts = 0, role_assigned_at = now(), last_role_error = null, updated_at = now()
     where ${ROLE_LEASED}`,
    { ...p },
  );
}

/** The Auth0 user was deleted meanwhile: nothing owed. */
export async function recordRoleUserGone(
  q: Queryable,
  p: { ids: string[]; workerId: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set ${ROLE_SETTLED},
       last_role_error = 'The Auth0 user no longer exists', updated_at = now()
     where ${ROLE_LEASED}`,
    { ...p },
  );
}

/** The assignment failed: owed again after waitMs. */
export async function recordRoleRetry(
  q: Queryable,
  p: { ids: string[]; workerId: string; waitMs: number; error: string },
): Promise<void> {
  await runSql(
    q,
    `update invitations set role_due_at = now() + :waitMs * interval '1 millisecond', role_attempts = role_attempts + 1,
       role_lease_owner = null, role_lease_until = null, last_role_error = :error, updated_at = now()
     where ${ROLE_LEASED}`,
    { ...p },
  );
}
