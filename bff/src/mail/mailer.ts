// SMTP sending: one pooled nodemailer transport per process. Messages carry From, To, Date and a
// Message-ID on the sender's domain (nodemailer adds Date; we set Message-ID explicitly).
// The pace (messages per second, connections, pauses after throttling) is ./pace.ts.
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { EmailContent } from "./invitation-email.ts";
import { createSendPace, type SendPace } from "./pace.ts";

export interface Mailer {
  send(to: string, content: EmailContent): Promise<void>;
  /** true when the SMTP server answers (for /api/health) */
  verify(): Promise<boolean>;
  close(): void;
  /** the process-wide pace every send of the pipeline goes through */
  readonly pace?: SendPace;
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  /** parallel SMTP connections in the pool */
  maxConnections?: number;
  /** message starts per second (SMTP_MAX_PER_SECOND); 0 or absent = no limit */
  maxPerSecond?: number;
  /** the pause after a throttling reply (doubling up to maxPauseMs); defaults 1 s and 60 s */
  basePauseMs?: number;
  maxPauseMs?: number;
}

function senderDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "guestlist.invalid";
}

// A connection that closes mid-message fails that message back to us instead of the pool sending
// it again on its own, outside our pace (the mail step retries it, paced). nodemailer's SMTP pool
// option (https://nodemailer.com/smtp/pooled); @types/nodemailer does not list it yet.
const NO_REQUEUE = { maxRequeues: 0 };

export function createMailer(o: MailerOptions): Mailer {
  const url = new URL(o.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 25)),
    secure: url.protocol === "smtps:",
    auth: url.username
      ? {
          user: decodeURIComponent(url.username),
          pass: decodeURIComponent(url.password),
        }
      : undefined,
    pool: true,
    maxConnections: o.maxConnections ?? 10,
    ...NO_REQUEUE,
    maxMessages: 1_000,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
    // A local catcher offers no TLS; real servers on 587 upgrade with STARTTLS when offered.
    ignoreTLS: url.hostname === "127.0.0.1" || url.hostname === "localhost",
  });
  const domain = senderDomain(o.from);
  const pace = createSendPace({
    maxPerSecond: o.maxPerSecond ?? 0,
    maxConnections: o.maxConnections ?? 10,
    ...(o.basePauseMs === undefined ? {} : { basePauseMs: o.basePauseMs }),
    ...(o.maxPauseMs === undefined ? {} : { maxPauseMs: o.maxPauseMs }),
  });
  return {
    pace,
    async send(to, content) {
      await transport.sendMail({
        from: o.from,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${randomUUID()}@${domain}>`,
        date: new Date(),
      });
    },
    verify: () =>
      transport.verify().then(
        () => true,
        () => false,
      ),
    close: () => transport.close(),
  };
}
