// SMTP sending: one pooled nodemailer transport per process. Messages carry From, To, Date and a
// Message-ID on the sender's domain (nodemailer adds Date; we set Message-ID explicitly).
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { isLoopbackHost } from "../config.ts";
import type { EmailContent } from "./invitation-email.ts";

export interface Mailer {
  send(to: string, content: EmailContent): Promise<void>;
  /** true when the SMTP server answers (for /api/health) */
  verify(): Promise<boolean>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  /** parallel SMTP connections in the pool */
  maxConnections?: number;
  /** refuse plain-text SMTP to a non-loopback server (default true; SMTP_ALLOW_PLAINTEXT=1 turns it off) */
  requireTls?: boolean;
}

/** nodemailer's transport settings for an smtp:// or smtps:// URL. */
export function smtpTransportOptions(o: MailerOptions) {
  const url = new URL(o.smtpUrl);
  const secure = url.protocol === "smtps:";
  const loopback = isLoopbackHost(url.hostname);
  return {
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 25)),
    secure,
    auth: url.username
      ? {
          user: decodeURIComponent(url.username),
          pass: decodeURIComponent(url.password),
        }
      : undefined,
    pool: true as const,
    maxConnections: o.maxConnections ?? 10,
    maxMessages: 1_000,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
    // A local catcher offers no TLS. Anything else must upgrade with STARTTLS (or be smtps://):
    // otherwise the password and every invitation link would cross the network in clear text
    // (nodemailer docs, "SMTP transport": requireTLS).
    ignoreTLS: loopback,
    requireTLS: !loopback && !secure && (o.requireTls ?? true),
  };
}

function senderDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "guestlist.invalid";
}

export function createMailer(o: MailerOptions): Mailer {
  const transport = nodemailer.createTransport(smtpTransportOptions(o));
  const domain = senderDomain(o.from);
  return {
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
