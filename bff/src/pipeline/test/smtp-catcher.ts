// A real SMTP catcher for tests: maildev 3 (in-process or as a child process) on free ports.
// Its REST API (GET /api/email) is how tests read the inbox.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MailDev } from "maildev";

export interface CaughtEmail {
  id: string;
  subject: string;
  to: { address: string }[];
  from: { address: string; name?: string }[];
  text?: string;
  html?: string;
  headers: Record<string, string>;
}

export interface SmtpCatcher {
  smtpPort: number;
  webPort: number;
  smtpUrl: string;
  emails(): Promise<CaughtEmail[]>;
  /** stop the SMTP server (emails already caught are kept in this object's last snapshot) */
  stop(): Promise<void>;
  /** start again on the same ports */
  start(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function fetchEmails(webPort: number): Promise<CaughtEmail[]> {
  const r = await fetch(`http://127.0.0.1:${webPort}/api/email`);
  if (!r.ok) throw new Error(`maildev answered ${r.status}`);
  return (await r.json()) as CaughtEmail[];
}

/** In-process maildev: fine for tens or hundreds of emails. */
export async function startCatcher(): Promise<SmtpCatcher> {
  const smtpPort = await freePort();
  const webPort = await freePort();
  let md: MailDev | null = null;
  let kept: CaughtEmail[] = [];
  const catcher: SmtpCatcher = {
    smtpPort,
    webPort,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    emails: async () =>
      md ? [...kept, ...(await fetchEmails(webPort))] : kept,
    async start() {
      md = new MailDev({
        smtp: smtpPort,
        web: webPort,
        ip: "127.0.0.1",
        webIp: "127.0.0.1",
        silent: true,
      });
      await md.start();
    },
    async stop() {
      if (!md) return;
      kept = [...kept, ...(await fetchEmails(webPort))];
      await md.stop();
      md = null;
    },
  };
  await catcher.start();
  return catcher;
}

/** maildev as a child process: keeps the catcher's CPU off the BFF's event loop (benchmark, kill test). */
export async function startCatcherProcess(): Promise<
  SmtpCatcher & { process: ChildProcess }
> {
  const smtpPort = await freePort();
  const webPort = await freePort();
  const bin = resolve(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    "..",
    "..",
    "..",
    "node_modules",
    "maildev",
    "dist",
    "bin",
    "maildev.js",
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      "-s",
      String(smtpPort),
      "-w",
      String(webPort),
      "--ip",
      "127.0.0.1",
      "--web-ip",
      "127.0.0.1",
      "--silent",
    ],
    {
      stdio: "ignore",
    },
  );
  for (let i = 0; i < 100; i++) {
    try {
      await fetchEmails(webPort);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    process: child,
    smtpPort,
    webPort,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    emails: () => fetchEmails(webPort),
    start: () => Promise.resolve(),
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
