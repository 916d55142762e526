// An SMTP server for tests that throttles like a real provider: for a while it answers 421 (and
// closes the connection) to MAIL FROM or 454 to RCPT TO, then accepts. It records every accepted
// message with the time it finished receiving it, and the most connections open at once.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  to: string;
  at: number;
}

export interface ThrottlingSmtp {
  smtpUrl: string;
  received: Received[];
  /** 421 and 454 replies given */
  throttled: { code: number; at: number }[];
  maxOpenConnections: number;
  /** throttle every message for `ms` from the next MAIL FROM on */
  throttleFor(ms: number): void;
  close(): Promise<void>;
}

function replyError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startThrottlingSmtp(): Promise<ThrottlingSmtp> {
  const received: Received[] = [];
  const throttled: { code: number; at: number }[] = [];
  let throttleUntil = 0;
  let armed = 0; // a throttle period that starts with the next MAIL FROM
  let open = 0;
  let maxOpen = 0;
  let turn = 0;
  const throttling = (): boolean => Date.now() < throttleUntil;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(_session, cb) {
      open++;
      maxOpen = Math.max(maxOpen, open);
      cb();
    },
    onClose() {
      open--;
    },
    // Alternates the two throttling replies providers use: 421 (closing the connection) and 454.
    onMailFrom(_address, _session, cb) {
      if (armed > 0) {
        throttleUntil = Date.now() + armed;
        armed = 0;
      }
      if (throttling() && turn++ % 2 === 0) {
        throttled.push({ code: 421, at: Date.now() });
        cb(replyError(421, "4.7.0 Too many messages, slow down"));
      } else cb();
    },
    onRcptTo(_address, _session, cb) {
      if (throttling()) {
        throttled.push({ code: 454, at: Date.now() });
        cb(
          replyError(
            454,
            "4.7.0 Throttling failure: Maximum sending rate exceeded",
          ),
        );
      } else cb();
    },
    onData(stream, session, cb) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo)
          received.push({ to: r.address, at: Date.now() });
        cb(null, "Message accepted");
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const { port } = server.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    received,
    throttled,
    get maxOpenConnections() {
      return maxOpen;
    },
    throttleFor(ms) {
      armed = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
