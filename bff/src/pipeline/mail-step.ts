// The email outbox: invitations with mail_due_at set owe an email. A round claims a slice (SKIP
// LOCKED + lease) and gives each a fresh token in the same statement (only its hash is stored, so
// the link in a lost email is simply superseded), sends over the pooled SMTP transport, then
// records the outcome. A crash after sending and before recording means the person gets a second
// email: at least once, never lost.
// Sends go through the mailer's pace (mail/pace.ts): a round claims only what can start before its
// lease runs low, so no other worker can claim (and send) a message this one is still sending; a
// throttling reply (4xx) pauses every send and puts the message back with the waiting reason.
import { invitationEmail } from "../mail/invitation-email.ts";
import type { PacedOutcome } from "../mail/pace.ts";
import { hashInvitationToken, newInvitationToken } from "./invitation-token.ts";
import {
  claimMail,
  recordMailFailed,
  recordMailRetry,
  recordSent,
  releaseDeferredMail,
  type MailClaim,
} from "./invitations.repository.ts";
import type { PipelineContext } from "./options.ts";

interface Prepared extends MailClaim {
  token: string;
  hash: string;
  expiresAt: Date;
}

/**
 * Fresh tokens with their hashes. A round asks for as many as it may claim, and most idle rounds
 * claim none: the unused ones (never stored, never sent) wait here for the next round instead of
 * being hashed again every 250 ms. Taking is synchronous, so no two rounds share a token.
 */
const spareTokens = new Map<string, string>();
const MAX_SPARE_TOKENS = 10_000;

function takeTokens(count: number): Map<string, string> {
  const taken = new Map<string, string>();
  for (const [hash, token] of spareTokens) {
    if (taken.size >= count) break;
    taken.set(hash, token);
    spareTokens.delete(hash);
  }
  while (taken.size < count) {
    const token = newInvitationToken();
    taken.set(hashInvitationToken(token), token);
  }
  return taken;
}

function keepTokens(unused: Map<string, string>): void {
  for (const [hash, token] of unused) {
    if (spareTokens.size >= MAX_SPARE_TOKENS) return;
    spareTokens.set(hash, token);
  }
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
  // Tokens first: the claim writes their hashes with the lease, so the new token replaces the old
  // one before the email leaves (the newest email always works) in one statement.
  const tokens = takeTokens(room);
  // A failed claim drops its tokens: had it committed before the connection broke, they are stored.
  const claimed = await ctx.mailFirst.during(() =>
    claimMail(db, {
      workerId: options.workerId,
      leaseMs: options.leaseMs,
      hashes: [...tokens.keys()],
    }),
  );
  const prepared: Prepared[] = claimed.map((c) => {
    const token = tokens.get(c.token_hash);
    if (token === undefined) throw new Error("claimed row without its token");
    tokens.delete(c.token_hash);
    return {
      ...c,
      token,
      hash: c.token_hash,
      expiresAt: new Date(c.expires_at),
    };
  });
  // Tokens no row received were never stored or sent: kept for the next round.
  keepTokens(tokens);
  if (prepared.length === 0) return false;
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
      ctx.mailFirst.during(() =>
        recordSent(db, {
          ids: sent.map((s) => s.id),
          hashes: sent.map((s) => s.hash),
        }),
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
  await recordMailRetry(ctx.db, {
    ids: rows.map((r) => r.id),
    workerId: ctx.options.workerId,
    dueAt: new Date(outcome.retryAt).toISOString(),
    error: message.slice(0, 500),
    reason: throttleText(outcome.retryAt),
  });
}

/** Never attempted (their turn came too close to the end of the lease): owed as before. */
async function releaseDeferred(
  ctx: PipelineContext,
  rows: Prepared[],
): Promise<void> {
  const pausedUntil = ctx.pace.pausedUntil;
  await releaseDeferredMail(ctx.db, {
    ids: rows.map((r) => r.id),
    workerId: ctx.options.workerId,
    notBefore: new Date(pausedUntil || Date.now()).toISOString(),
    reason: pausedUntil ? throttleText(pausedUntil) : null,
  });
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
  await recordMailFailed(ctx.db, {
    ids: failed.map((f) => f.id),
    workerId: ctx.options.workerId,
    waitMs: wait,
    error: message.slice(0, 500),
    reason: `The email server is not accepting messages; retrying in ${Math.ceil(wait / 1000)} s`,
  });
}
