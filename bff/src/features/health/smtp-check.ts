// The default SMTP readiness check of /api/health: a TCP connect to SMTP_URL (nothing is sent).
import { connect } from "node:net";

export function tcpSmtpCheck(smtpUrl: string): Promise<void> {
  const url = new URL(smtpUrl);
  const port = Number(url.port || (url.protocol === "smtps:" ? 465 : 25));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port }, () => {
      socket.end();
      resolve();
    });
    socket.setTimeout(2_000, () =>
      socket.destroy(new Error("SMTP did not answer")),
    );
    socket.once("error", (e) =>
      reject(new Error(`SMTP unreachable (${e.message})`)),
    );
  });
}
