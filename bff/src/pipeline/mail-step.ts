// The email outbox: invitations with mail_due_at set owe an email. A round claims a slice (SKIP
// LOCKED + lease), gives each a fresh token (only its hash is stored, so the link in a lost email
// is simply superseded), sends over the pooled SMTP transport, then records the outcome. A crash
// after sending and before recording means the person gets a second email: at least once, never lost.
// Sends go through the mailer's pace (mail/pace.ts): a round claims only what can start before its
// lease runs low, so no other worker can claim (and send) a message this one is still sending; a
// throttling reply (4xx) pauses every send and puts the message back with the waiting reason.
import { invitationEmail } from "../mail/invitation-email.ts";
import type { PacedOutcome } from "../mail/pace.ts";
import { hashInvitationToken, newInvitationToken } from "./invitation-token.ts";
import type { PipelineContext } from "./options.ts";

interface Claimed {
  id: string;
  email: string;
  given_name: string | null;
  mail_attempts: number;
  tenant_name: string;
  lifetime_days: number;
}

interface Prepared extends Claimed {
  token: string;
  hash: string;
  expiresAt: Date;
}

/** No send starts later than this before the lease ends (a send itself may take 15 s + connect). */
export function sendDeadline(claimedAt: number, leaseMs: number): number {
  return claimedAt + leaseMs - Math.min(leaseMs / 2, 20_000);
}

export async function runMailStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options, pace } = ctx;
  const deadline = sendDeadline(Date.now(), options.leaseMs);
  const room = Math.min(options.mailBatch, pace.room(deadline));
  if (room <= 0) return false; // paused after throttling, or the pace is booked until the deadline
  const claimed = await db.query<Claimed>(
    `update invitations i set mail_lease_owner = $1, mail_lease_until = now() + $2 * interval '1 millisecond'
     from tenants t
     where t.id = i.tenant_id and i.id in (
       select id from invitations
       where mail_due_at <= now() and state in ('created', 'emailed', 'verified')
         and (mail_lease_until is null or mail_lease_until < now())
       order by mail_due_at limit $3
       for update skip locked)
     returning i.id, i.email, i.given_name, i.mail_attempts, t.name as tenant_name, t.invitation_lifetime_days as lifetime_days`,
    [options.workerId, options.leaseMs, room],
  );
  if (claimed.rows.length === 0) return false;
  const now = Date.now();
  const prepared: Prepared[] = claimed.rows.map((c) => {
    const token = newInvitationToken();
    return {
      ...c,
      token,
      hash: hashInvitationToken(token),
      expiresAt: new Date(now + c.lifetime_days * 86_400_000),
    };
  });
  // The new token replaces the old one before the email leaves: the newest email always works.
  try {
    await db.query(
      `update invitations i set token_hash = p.hash, expires_at = p.expires_at, updated_at = now()
       from unnest($1::uuid[], $2::text[], $3::timestamptz[]) as p(id, hash, expires_at)
       where i.id = p.id and i.mail_lease_owner = $4`,
      [
        prepared.map((p) => p.id),
        prepared.map((p) => p.hash),
        prepared.map((p) => p.expiresAt.toISOString()),
        options.workerId,
      ],
    );
  } catch (error) {
    // Nothing was sent: hand the rows back once the database returns instead of after the lease.
    await ctx.settler.settle(`release ${prepared.length} email claims`, () =>
      release(ctx, prepared),
    );
    throw error;
  }
  const outcomes = await Promise.all(
    prepared.map((p) =>
      pace
        .run(deadline, () => send(ctx, p))
        .then(async (outcome) => {
          // Recorded at once, so the import shows the waiting reason while the round goes on.
          if (outcome.kind === "throttled")
            await ctx.settler.settle("record a throttled email", () =>
              recordThrottled(ctx, [p], outcome),
            );
          return outcome;
        }),
    ),
  );
  const sent = prepared.filter((_, i) => outcomes[i]?.kind === "sent");
  const failed = prepared.filter((_, i) => outcomes[i]?.kind === "failed");
  const deferred = prepared.filter((_, i) => outcomes[i]?.kind === "deferred");
  if (sent.length > 0) {
    // Guarded by the hash: a resend that retired this token in the meantime still gets its email.
    // These emails are out: if the database is away now, the record is kept and written before
    // this process claims any email again (settle.ts), so nobody is mailed twice for it.
    await ctx.settler.settle(`record ${sent.length} sent emails`, () =>
      db.query(
        `update invitations i set state = case when i.state = 'created' then 'emailed' else i.state end,
           emailed_at = now(), mail_due_at = null, mail_attempts = 0, mail_lease_owner = null, mail_lease_until = null,
           waiting_reason = null, last_mail_error = null, updated_at = now()
         from unnest($1::uuid[], $2::text[]) as s(id, hash)
         where i.id = s.id and i.token_hash = s.hash`,
        [sent.map((s) => s.id), sent.map((s) => s.hash)],
      ),
    );
  }
  if (failed.length > 0)
    await ctx.settler.settle(`record ${failed.length} failed emails`, () =>
      recordFailures(ctx, failed, outcomes),
    );
  if (deferred.length > 0)
    await ctx.settler.settle(`release ${deferred.length} deferred emails`, () =>
      releaseDeferred(ctx, deferred),
    );
  return true;
}

async function release(ctx: PipelineContext, rows: Prepared[]): Promise<void> {
  await ctx.db.query(
    `update invitations set mail_lease_owner = null, mail_lease_until = null, updated_at = now()
     where id = any($1::uuid[]) and mail_lease_owner = $2`,
    [rows.map((r) => r.id), ctx.options.workerId],
  );
}

function throttleText(retryAt: number): string {
  const secs = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
  return `The email server is throttling our messages; retrying in ${secs} s`;
}

/** A 4xx reply: not delivered; owed again when the pause ends. */
async function recordThrottled(
  ctx: PipelineContext,
  rows: Prepared[],
  outcome: Extract<PacedOutcome<void>, { kind: "throttled" }>,
): Promise<void> {
  const message =
    outcome.error instanceof Error ? outcome.error.message : "throttled";
  ctx.log.warn(
    { count: rows.length, error: message, retryAt: new Date(outcome.retryAt) },
    "email server throttled us; pausing sends",
  );
  await ctx.db.query(
    `update invitations set mail_attempts = mail_attempts + 1, mail_due_at = $2::timestamptz,
       mail_lease_owner = null, mail_lease_until = null, last_mail_error = $3, waiting_reason = $4, updated_at = now()
     where id = any($1::uuid[]) and mail_lease_owner = $5`,
    [
      rows.map((r) => r.id),
      new Date(outcome.retryAt).toISOString(),
      message.slice(0, 500),
      throttleText(outcome.retryAt),
      ctx.options.workerId,
    ],
  );
}

/** Never attempted (their turn came too close to the end of the lease): owed as before. */
async function releaseDeferred(
  ctx: PipelineContext,
  rows: Prepared[],
): Promise<void> {
  const pausedUntil = ctx.pace.pausedUntil;
  await ctx.db.query(
    `update invitations set mail_lease_owner = null, mail_lease_until = null,
       mail_due_at = greatest(mail_due_at, $2::timestamptz),
       waiting_reason = coalesce($3, waiting_reason), updated_at = now()
     where id = any($1::uuid[]) and mail_lease_owner = $4`,
    [
      rows.map((r) => r.id),
      new Date(pausedUntil || Date.now()).toISOString(),
      pausedUntil ? throttleText(pausedUntil) : null,
      ctx.options.workerId,
    ],
  );
}

async function send(ctx: PipelineContext, p: Prepared): Promise<void> {
  const link = `${ctx.publicUrl}/invitations/${p.token}`;
  await ctx.mailer.send(
    p.email,
    invitationEmail({
      tenantName: p.tenant_name,
      givenName: p.given_name,
      link,
      expiresAt: p.expiresAt,
      branding: ctx.branding,
    }),
  );
}

async function recordFailures(
  ctx: PipelineContext,
  failed: Prepared[],
  outcomes: PacedOutcome<void>[],
): Promise<void> {
  const firstError = outcomes.find(
    (r): r is Extract<PacedOutcome<void>, { kind: "failed" }> =>
      r.kind === "failed",
  );
  const message =
    firstError?.error instanceof Error
      ? firstError.error.message
      : "unknown error";
  const attempts = Math.min(...failed.map((f) => f.mail_attempts)) + 1;
  const wait = Math.min(
    ctx.options.mailRetryMaxMs,
    1_000 * 2 ** Math.min(attempts - 1, 10),
  );
  ctx.log.warn(
    { count: failed.length, attempts, error: message },
    "email sending failed; will retry",
  );
  await ctx.db.query(
    `update invitations set mail_attempts = mail_attempts + 1, mail_due_at = now() + $2 * interval '1 millisecond',
       mail_lease_owner = null, mail_lease_until = null, last_mail_error = $3, waiting_reason = $4, updated_at = now()
     where id = any($1::uuid[]) and mail_lease_owner = $5`,
    [
      failed.map((f) => f.id),
      wait,
      message.slice(0, 500),
      `The email server is not accepting messages; retrying in ${Math.ceil(wait / 1000)} s`,
      ctx.options.workerId,
    ],
  );
}
