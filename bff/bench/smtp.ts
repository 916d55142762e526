// pnpm exec tsx bench/smtp.ts [--n 5000] [--connections 20] — the mail path alone: invitation emails
// rendered and sent through the BFF's mailer (mail/mailer.ts, pooled nodemailer) to the benchmark's
// SMTP sink (pipeline/test/smtp-sink.ts, its own process), as many on the wire at once as the pool
// has connections. Prints messages/s and the CPU ms per message of the sender and of the sink
// (/proc/<pid>/stat), so a change to rendering or transport can be judged on a busy machine.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import {
  DEFAULT_BRANDING,
  invitationEmail,
} from "../src/mail/invitation-email.ts";
import { createMailer } from "../src/mail/mailer.ts";
import { startSinkProcess } from "../src/pipeline/test/smtp-sink.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg("n", 5_000);
const CONNECTIONS = arg("connections", 20);

/** user + system CPU of a process in ms (Linux /proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const sink = await startSinkProcess();
const sinkPid = sink.process.pid ?? 0;
const mailer = createMailer({
  smtpUrl: sink.smtpUrl,
  from: "Guestlist <no-reply@guestlist.test>",
  maxConnections: CONNECTIONS,
});
const expiresAt = new Date(Date.now() + 7 * 86_400_000);
const render = (i: number) =>
  invitationEmail({
    tenantName: "Acme Corp",
    givenName: `Person${i}`,
    link: `http://127.0.0.1:3000/invitations/${"x".repeat(43)}${i}`,
    expiresAt,
    branding: DEFAULT_BRANDING,
  });

async function run(count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await mailer.send(`bench.${i}@acme.test`, render(i));
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

await run(200); // connections open, JIT warm
const before = await sink.stats();
const cpu0 = process.cpuUsage();
const sink0 = cpuMs(sinkPid);
const t0 = performance.now();
await run(N);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const sinkCpu = cpuMs(sinkPid) - sink0;
const after = await sink.stats();
mailer.close();
await sink.stop();
const senderMs = (cpu.user + cpu.system) / 1000;
console.log(
  `${N} messages, ${CONNECTIONS} connections: ${seconds.toFixed(2)} s, ${(N / seconds).toFixed(0)} messages/s; ` +
    `sender CPU ${(senderMs / N).toFixed(2)} ms/message, sink CPU ${(sinkCpu / N).toFixed(2)} ms/message; ` +
    `sink counted ${after.count - before.count}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
);
