// The email outbox: invitations with mail_due_at set owe an email. A round claims a slice (SKIP
// LOCKED + lease), gives each a fresh token (only its hash is stored, so the link in a lost email
// is simply superseded), sends over the pooled SMTP transport, then records the outcome. A crash
// after sending and before recording means the person gets a second email: at least once, never lost.
import { invitationEmail } from "../mail/invitation-email.ts";
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

export async function runMailStep(ctx: PipelineContext): Promise<boolean> {
  const { db, options } = ctx;
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
    [options.workerId, options.leaseMs, options.mailBatch],
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
  const results = await Promise.allSettled(prepared.map((p) => send(ctx, p)));
  const sent = prepared.filter((_, i) => results[i]?.status === "fulfilled");
  const failed = prepared.filter((_, i) => results[i]?.status === "rejected");
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
      recordFailures(ctx, failed, results),
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
  results: PromiseSettledResult<void>[],
): Promise<void> {
  const firstError = results.find(
    (r): r is PromiseRejectedResult => r.status === "rejected",
  );
  const message =
    firstError?.reason instanceof Error
      ? firstError.reason.message
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
