// The SQL of an invitation's life after its Auth0 user exists: password tickets issued, and the
// state changes driven only by Auth0's record (reconcile.ts), never by what a browser sends; plus
// the reconciliation's per-tenant lease.
import { audit } from "../audit-log.ts";
import type { Db, Queryable } from "../db/db.ts";

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

/** An open invitation whose latest password ticket could have been used. */
export interface OpenTicket {
  id: string;
  user_id: string;
  ticket_issued_at: Date | string;
}

/** One tenant's open invitations with a ticket that expired less than `graceMs` ago (or later). */
export async function findOpenTickets(
  db: Queryable,
  tenantId: string,
  graceMs: number,
): Promise<OpenTicket[]> {
  return (
    await db.query<OpenTicket>(
      `select id::text, user_id, ticket_issued_at from invitations
        where tenant_id = $1 and state in ('created', 'emailed', 'verified')
          and ticket_issued_at is not null and ticket_expires_at > now() - $2::int * interval '1 millisecond'`,
      [tenantId, graceMs],
    )
  ).rows;
}

/**
 * Whether a tenant run is due, read-only and without reading the tickets: the lease is free, the
 * last run finished at least `minIntervalMs` ago (takeReconcileLease's condition) and the tenant
 * has at least one ticket findOpenTickets would return. The throttle is tested first: both
 * `exists` are init plans, evaluated only when `and` needs them, so a throttled call reads no
 * invitation (docs/benchmarks.md, members). A hint only; takeReconcileLease decides.
 */
export async function reconcileDue(
  db: Queryable,
  tenantId: string,
  graceMs: number,
  minIntervalMs: number,
): Promise<boolean> {
  const r = await db.query<{ due: boolean }>(
    `select ${reconcileDueCondition("$1", "$2::int", "$3::int")} as due`,
    [tenantId, graceMs, Math.round(minIntervalMs)],
  );
  return r.rows[0]?.due === true;
}

/**
 * reconcileDue's condition as a boolean SQL expression over the given SQL expressions (a
 * parameter or a literal each), for a statement that reads it along with something else: the
 * members page reads it with the page, one statement instead of two (members/repository.ts).
 */
export function reconcileDueCondition(
  tenant: string,
  graceMs: string,
  minIntervalMs: string,
): string {
  return `(not exists (
         select 1 from invitation_reconcile
          where tenant_id = ${tenant}
            and (lease_until >= now() or last_run_at > now() - ${minIntervalMs} * interval '1 millisecond'))
       and exists (
         select 1 from invitations
          where tenant_id = ${tenant} and state in ('created', 'emailed', 'verified')
            and ticket_issued_at is not null and ticket_expires_at > now() - ${graceMs} * interval '1 millisecond'))`;
}

/** The tenants with open invitations whose ticket expired less than `graceMs` ago (or later). */
export async function findTenantsWithOpenTickets(
  db: Queryable,
  graceMs: number,
): Promise<string[]> {
  return (
    await db.query<{ tenant_id: string }>(
      `select distinct tenant_id from invitations
        where state in ('created', 'emailed', 'verified') and ticket_issued_at is not null
          and ticket_expires_at > now() - $1::int * interval '1 millisecond'`,
      [graceMs],
    )
  ).rows.map((r) => r.tenant_id);
}

/**
 * The tenant's reconciliation lease: true when no other run holds it and the last run finished at
 * least `minIntervalMs` ago.
 */
export async function takeReconcileLease(
  db: Queryable,
  tenantId: string,
  minIntervalMs: number,
): Promise<boolean> {
  await db.query(
    "insert into invitation_reconcile (tenant_id) values ($1) on conflict (tenant_id) do nothing",
    [tenantId],
  );
  const r = await db.query(
    `update invitation_reconcile set lease_until = now() + interval '2 minutes'
      where tenant_id = $1 and (lease_until is null or lease_until < now())
        and (last_run_at is null or last_run_at <= now() - $2::int * interval '1 millisecond')
      returning tenant_id`,
    [tenantId, Math.round(minIntervalMs)],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Releases the lease after a run: `error` null = it succeeded (and counts as the last run). */
export async function releaseReconcileLease(
  db: Queryable,
  tenantId: string,
  error: string | null,
): Promise<void> {
  if (error === null)
    await db.query(
      "update invitation_reconcile set last_run_at = now(), lease_until = null, last_error = null where tenant_id = $1",
      [tenantId],
    );
  else
    await db.query(
      "update invitation_reconcile set lease_until = null, last_error = $2 where tenant_id = $1",
      [tenantId, error],
    );
}

/** Releases the lease of a run that found nothing to do: not a run, the throttle is unchanged. */
export async function dropReconcileLease(
  db: Queryable,
  tenantId: string,
): Promise<void> {
  await db.query(
    "update invitation_reconcile set lease_until = null where tenant_id = $1",
    [tenantId],
  );
}

/** open → revoked, only from the state it was read in; false when it changed meanwhile. */
export async function markRevoked(
  tx: Queryable,
  id: string,
  expectedState: string,
): Promise<boolean> {
  const r = await tx.query(
    `update invitations set state = 'revoked', token_hash = null, mail_due_at = null, revoked_at = now(), updated_at = now()
     where id = $1 and state = $2`,
    [id, expectedState],
  );
  return r.rowCount > 0;
}

/** The members mirror of a user whose invitation was revoked after Auth0 deleted them. */
export async function markMirrorRemoved(
  tx: Queryable,
  userId: string,
): Promise<void> {
  await tx.query("update members set removed_at = now() where user_id = $1", [
    userId,
  ]);
}
