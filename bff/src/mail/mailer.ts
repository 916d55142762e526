// SMTP sending: one pooled nodemailer transport per process. Messages carry From, To, Date and a
// Message-ID on the sender's domain (nodemailer adds Date; we set Message-ID explicitly).
// The pace (messages per second, connections, pauses after throttling) is ./pace.ts.
import { randomUUID } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";
import nodemailer from "nodemailer";
import addressparser from "nodemailer/lib/addressparser/index.js";
import { isLoopbackHost } from "../config.ts";
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
  /** refuse plain-text SMTP to a non-loopback server (default true; SMTP_ALLOW_PLAINTEXT=1 turns it off) */
  requireTls?: boolean;
  /** message starts per second (SMTP_MAX_PER_SECOND); 0 or absent = no limit */
  maxPerSecond?: number;
  /** the pause after a throttling reply (doubling up to maxPauseMs); defaults 1 s and 60 s */
  basePauseMs?: number;
  maxPauseMs?: number;
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

/**
 * The sender as nodemailer's address object, parsed once: given a string, nodemailer runs its
 * address parser on From and To for every message (≈ 14 KB of garbage per email, 6 % of what a
 * send allocates; docs/benchmarks.md, issue 14). An object `{ name, address }` it takes as it is
 * (nodemailer docs, "Address object"). A From that is not exactly one plain address stays a string.
 */
export function senderAddress(
  from: string,
): string | { name: string; address: string } {
  const parsed = addressparser(from, { flatten: true });
  const only = parsed.length === 1 ? parsed[0] : undefined;
  return only?.address ? { name: only.name, address: only.address } : from;
}

function senderDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "guestlist.invalid";
}

// A connection that closes mid-message fails that message back to us instead of the pool sending
// it again on its own, outside our pace (the mail step retries it, paced). nodemailer's SMTP pool
// option (https://nodemailer.com/smtp/pooled); @types/nodemailer does not list it yet.
const NO_REQUEUE = { maxRequeues: 0 };

type SocketCallback = (
  error: Error | null,
  socketOptions?: { connection: Socket } | false,
) => void;

/**
 * Opens the pool's TCP connections with Nagle's algorithm off. nodemailer connects with Node's
 * default (Nagle on) and writes a message as several small segments (the body, then the
 * `\r\n.\r\n` that ends it); the last one then waits for the server to acknowledge the first,
 * and servers delay that acknowledgement by up to 40 ms, so each message on a connection took
 * ≈ 44 ms even on loopback: 23 messages/s per connection instead of ≈ 1,000 (docs/benchmarks.md,
 * "Email throughput"; RFC 1122 §4.2.3.2 delayed ACK, RFC 896 Nagle). The socket is handed to
 * nodemailer as an open `connection` (its pool's `getSocket` hook, the one its proxy support uses:
 * https://nodemailer.com/smtp/proxies); nodemailer still does the TLS of smtps:// and STARTTLS on
 * it itself, with its own settings.
 *
 * When the connection cannot be opened (refused, unreachable, timed out) it answers `false`, and
 * nodemailer connects on its own and meets the same failure: its pool learns of a failed
 * connection only through that path and frees the slot; an error given to this callback would
 * fail the message but leave the slot taken for good, and after `maxConnections` of them the pool
 * would send nothing even once the server is back.
 */
export function openSmtpSocket(
  options: { host: string; port: number; connectionTimeout?: number },
  callback: SocketCallback,
): void {
  let settled = false;
  const socket = tcpConnect({
    host: options.host,
    port: options.port,
    noDelay: true,
    keepAlive: true,
  });
  const settle = (opened: boolean): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (opened) callback(null, { connection: socket });
    else {
      socket.destroy();
      callback(null, false);
    }
  };
  const timer = setTimeout(
    () => settle(false),
    options.connectionTimeout ?? 5_000,
  );
  socket.once("connect", () => settle(true));
  // Before the hand-over an error means "not opened"; after it nodemailer listens for errors too.
  socket.on("error", () => settle(false));
}

export function createMailer(o: MailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    ...smtpTransportOptions(o),
    ...NO_REQUEUE,
    getSocket: openSmtpSocket,
  });
  const domain = senderDomain(o.from);
  const from = senderAddress(o.from);
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
        // fresh objects: nodemailer normalises the address in place
        from: typeof from === "string" ? from : { ...from },
        // one recipient, never split: `to` is one validated address (PersonRow)
        to: { name: "", address: to },
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${randomUUID()}@${domain}>`,
        date: new Date(),
        // Without it nodemailer counts the Latin and non-Latin characters of every header and
        // body with two global regular expressions to choose between quoted-printable and
        // base64 (MimeNode._getTextEncoding): a fifth of its CPU per invitation (docs/benchmarks.md,
        // "Email throughput"). Our texts are mostly Latin, which is what it chose anyway;
        // non-ASCII names are still encoded, as quoted-printable words (nodemailer docs, "Message
        // configuration": textEncoding).
        textEncoding: "quoted-printable",
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
