// A lean SMTP catcher for the benchmark, run as its own process (`startSinkProcess`): it accepts
// every message (smtp-server, no parsing, nothing stored but a count) and answers
// `GET /` on its HTTP port with { count, distinct, firstAt, lastAt } (epoch ms). maildev parses and
// keeps every message and tops out near 190 messages/s on the shared 2-core machine
// (docs/benchmarks.md), which would measure maildev rather than the pipeline.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

// Its own copy rather than smtp-catcher.ts's: that module imports maildev (and with it jsdom),
// which the sink process would load for nothing (≈ 100 MB of RSS and seconds of start-up on a
// busy machine).
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createTcpServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface SinkStats {
  count: number;
  distinct: number;
  firstAt: number | null;
  lastAt: number | null;
}

export interface SmtpSink {
  process: ChildProcess;
  smtpUrl: string;
  stats(): Promise<SinkStats>;
  stop(): Promise<void>;
}

function serve(smtpPort: number, httpPort: number): void {
  const to = new Set<string>();
  const stats: SinkStats = {
    count: 0,
    distinct: 0,
    firstAt: null,
    lastAt: null,
  };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    disableReverseLookup: true,
    size: 1_000_000,
    onData(stream, session, cb) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        const now = Date.now();
        stats.count++;
        stats.firstAt ??= now;
        stats.lastAt = now;
        for (const r of session.envelope.rcptTo) to.add(r.address);
        stats.distinct = to.size;
        cb();
      });
    },
  });
  smtp.listen(smtpPort, "127.0.0.1");
  createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(stats));
  }).listen(httpPort, "127.0.0.1");
}

export async function startSinkProcess(): Promise<SmtpSink> {
  const smtpPort = await freePort();
  const httpPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      String(smtpPort),
      String(httpPort),
    ],
    { stdio: "ignore" },
  );
  const stats = async (): Promise<SinkStats> =>
    (await (await fetch(`http://127.0.0.1:${httpPort}/`)).json()) as SinkStats;
  for (let i = 0; ; i++) {
    try {
      await stats();
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    process: child,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    stats,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  serve(Number(process.argv[2]), Number(process.argv[3]));
