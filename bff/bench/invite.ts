// pnpm bench:invite [--n 10000] [--catcher sink|maildev] [--no-preview] — people end to end: rows
// posted → every email accepted by the SMTP catcher, against the Auth0 emulator at the enterprise
// rate limit (burst 50, 16/s). The BFF runs as a real child process (src/server.ts); the catcher
// runs as another (default: the lean smtp-sink.ts; `--catcher maildev` for maildev, which tops out
// near 190 messages/s here). Prints wall time, rate, time to the first email, Management API calls
// per 1,000 invitees, 429s received, peak RSS of each process (VmRSS from /proc/<pid>/status,
// sampled every 250 ms), and the preview's memory: the BFF's RSS idle, during and 3 s after a
// preview of the same rows. DATABASE_URL=postgres://… runs the BFF on Postgres instead of PGlite.
// `--smtp-connections N` (default 20) is SMTP_MAX_CONNECTIONS.
// `--post-only`: stop after the `POST …/imports` answered (its duration, the BFF's CPU during it,
// its RSS idle, peak during and 3 s after), without waiting for the emails: the request's own cost.
// `--pglite-process`: PGlite in its own process (src/db/pglite-server.ts, a child with its data in
// the bench's temp dir) and the BFF on it with DATABASE_SINGLE_SESSION=1; the database process's
// RSS is reported as `database` (docs/decisions/012-pglite-in-its-own-process.md).
// `--admins N`: the first N rows are invited as admins ("Customer admin" granted by the role step
// in batches); the calls are then reported with and without the role calls.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "@app/auth0-emulator";
import {
  startBff,
  writeTenantsFile,
} from "../src/pipeline/test/bff-process.ts";
import {
  freePort,
  startCatcherProcess,
} from "../src/pipeline/test/smtp-catcher.ts";
import { startSinkProcess } from "../src/pipeline/test/smtp-sink.ts";
import { startPgliteServerProcess } from "../src/pipeline/test/pglite-server-process.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const positional = process.argv[2]?.startsWith("--")
  ? undefined
  : process.argv[2];
const PEOPLE = Number(arg("n") ?? positional ?? 10_000);
const CATCHER = arg("catcher") ?? "sink";
const PREVIEW = !process.argv.includes("--no-preview");
const ADMINS = Number(arg("admins") ?? 0);
const POST_ONLY = process.argv.includes("--post-only");
const PGLITE_PROCESS = process.argv.includes("--pglite-process");
// The SMTP provider's connection limit the BFF is given (SMTP_MAX_CONNECTIONS). Sending to the
// sink is bound by round trips, not CPU: 20 → 50 connections doubles messages/s at the same CPU
// per message (bench/smtp.ts).
const SMTP_CONNECTIONS = Number(arg("smtp-connections") ?? 20);
if (!Number.isInteger(ADMINS) || ADMINS < 0 || ADMINS > PEOPLE)
  throw new Error("--admins must be a whole number ≤ the number of people");

/** VmRSS of a process in MB (Linux), or null when it is gone. */
function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function sampler(pids: Record<string, number | undefined>) {
  const peak: Record<string, number> = {};
  const take = (): void => {
    for (const [name, pid] of Object.entries(pids)) {
      const mb = rssMb(pid);
      if (mb !== null) peak[name] = Math.max(peak[name] ?? 0, mb);
    }
  };
  take();
  const timer = setInterval(take, 250);
  return {
    peak,
    reset(): void {
      for (const k of Object.keys(peak)) delete peak[k];
      take();
    },
    stop: () => clearInterval(timer),
  };
}

/** user + system CPU seconds of a process (Linux /proc/<pid>/stat, clock ticks of 10 ms), or null. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

const mb = (v: number | null | undefined): string =>
  v === null || v === undefined ? "?" : `${v.toFixed(0)} MB`;
const ENTERPRISE = { burst: 50, perSecond: 16 };

interface Logged {
  method: string;
  path: string;
  status: number;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
  const sink = CATCHER === "sink" ? await startSinkProcess() : null;
  const catcher = sink ? null : await startCatcherProcess();
  const smtpUrl = sink?.smtpUrl ?? catcher?.smtpUrl ?? "";
  const catcherPid = (sink?.process ?? catcher?.process)?.pid;
  const dir = mkdtempSync(join(tmpdir(), "guestlist-bench-"));
  const emu = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, {
      method,
      ...(body
        ? {
            body: JSON.stringify(body),
            headers: { "content-type": "application/json" },
          }
        : {}),
    });
  await emu("PUT", "/__emulator/rate-limit", { plan: "enterprise" });
  const tenantsFile = writeTenantsFile(dir, [
    { id: "acme", name: "Acme Corp", seatLimit: PEOPLE + 100 },
  ]);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: "test", // the emulator and the seed: production refuses both (config.ts)
    LOG_LEVEL: "warn",
    AUTH0_MANAGEMENT_URL: emulator.url,
    AUTH0_ISSUER_BASE_URL: `${emulator.url}/`,
    AUTH0_RATE_LIMIT: "enterprise",
    SMTP_URL: smtpUrl,
    SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TENANTS_FILE: tenantsFile,
    SEED_TENANTS: "true",
    DATA_DIR: dir,
    WEB_DIST: join(dir, "no-web"),
  };
  if (PGLITE_PROCESS && process.env.DATABASE_URL)
    throw new Error(
      "--pglite-process starts its own database: unset DATABASE_URL",
    );
  const database = PGLITE_PROCESS
    ? await startPgliteServerProcess(join(dir, "pglite-server-db"))
    : null;
  const databaseUrl = database?.url ?? process.env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (database) env.DATABASE_SINGLE_SESSION = "1";
  else if (process.env.DATABASE_POOL_SIZE)
    env.DATABASE_POOL_SIZE = process.env.DATABASE_POOL_SIZE;
  const engine = database
    ? "pglite in its own process (pglite-socket, 1 connection)"
    : databaseUrl
      ? "postgres"
      : "pglite on disk";
  // e.g. BENCH_BFF_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof": profile the BFF child
  if (process.env.BENCH_BFF_NODE_OPTIONS)
    env.NODE_OPTIONS = process.env.BENCH_BFF_NODE_OPTIONS;
  const bff = await startBff(env, port).catch(async (error: unknown) => {
    await database?.stop();
    throw error;
  });
  const rss = sampler({
    bff: bff.child.pid,
    ...(database ? { database: database.child.pid } : {}),
    catcher: catcherPid,
    "bench + emulator": process.pid,
  });
  try {
    const { access_token: token } = (await (
      await emu("POST", "/__emulator/tokens", { email: "admin@acme.test" })
    ).json()) as { access_token: string };
    await emu("DELETE", "/__emulator/requests");
    const rows = Array.from({ length: PEOPLE }, (_, i) => ({
      email: `bench.${i}@acme.test`,
      givenName: `Person${i}`,
      familyName: "Bench",
      ...(i < ADMINS ? { role: "admin" } : {}),
    }));
    console.log(
      `Inviting ${PEOPLE} people, ${ADMINS} of them admins (engine: ${engine}, catcher: ${CATCHER}, ${SMTP_CONNECTIONS} SMTP connections, Auth0 limit burst ${ENTERPRISE.burst}, ${ENTERPRISE.perSecond}/s; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})…`,
    );
    let previewLine = "";
    if (PREVIEW) {
      await new Promise((r) => setTimeout(r, 2_000));
      const idle = rssMb(bff.child.pid);
      rss.reset();
      const previewCpu0 = cpuSeconds(bff.child.pid);
      const p0 = performance.now();
      const pr = await fetch(
        `${bff.url}/api/tenants/acme/invitations/preview`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ rows }),
        },
      );
      if (pr.status !== 200)
        throw new Error(`preview refused: ${pr.status} ${await pr.text()}`);
      await pr.arrayBuffer();
      const took = (performance.now() - p0) / 1000;
      const during = rss.peak.bff;
      const previewCpu = (cpuSeconds(bff.child.pid) ?? 0) - (previewCpu0 ?? 0);
      await new Promise((r) => setTimeout(r, 3_000));
      const after = rssMb(bff.child.pid);
      previewLine = `Preview of ${PEOPLE} rows:         ${took.toFixed(2)} s, BFF CPU ${previewCpu.toFixed(2)} s; BFF RSS idle ${mb(idle)}, peak ${mb(during)}, 3 s after ${mb(after)} (+${((after ?? 0) - (idle ?? 0)).toFixed(0)} MB)`;
      console.log(previewLine);
      rss.reset();
    }
    if (POST_ONLY) await new Promise((r) => setTimeout(r, 2_000));
    const postIdle = rssMb(bff.child.pid);
    rss.reset();
    const bffCpu0 = cpuSeconds(bff.child.pid);
    const databaseCpu0 = cpuSeconds(database?.child.pid);
    const catcherCpu0 = cpuSeconds(catcherPid);
    const t0 = performance.now();
    const epoch0 = Date.now();
    let firstEmailS: number | null = null;
    const post = await fetch(`${bff.url}/api/tenants/acme/imports`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": `bench-${Date.now()}`,
      },
      body: JSON.stringify({ rows }),
    });
    if (post.status !== 202)
      throw new Error(`import refused: ${post.status} ${await post.text()}`);
    const { importId } = (await post.json()) as { importId: string };
    const accepted = performance.now();
    if (POST_ONLY) {
      const postCpu = (cpuSeconds(bff.child.pid) ?? 0) - (bffCpu0 ?? 0);
      const during = rss.peak.bff;
      await new Promise((r) => setTimeout(r, 3_000));
      const after = rssMb(bff.child.pid);
      console.log(
        `Import POST of ${PEOPLE} rows:     ${((accepted - t0) / 1000).toFixed(2)} s, BFF CPU ${postCpu.toFixed(2)} s; BFF RSS idle ${mb(postIdle)}, peak ${mb(during)}, 3 s after ${mb(after)} (load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")})`,
      );
      return;
    }
    let last = "";
    let lastPrint = 0;
    let lastAsked = 0;
    for (;;) {
      if (firstEmailS === null) {
        if (sink) {
          const st = await sink.stats();
          if (st.firstAt !== null) firstEmailS = (st.firstAt - epoch0) / 1000;
        } else if (catcher) {
          const list = (await (
            await fetch(`http://127.0.0.1:${catcher.webPort}/api/email`)
          ).json()) as unknown[];
          if (list.length > 0) firstEmailS = (performance.now() - t0) / 1000;
        }
      }
      // The sink is asked every 100 ms until the first email; the import's progress once a second.
      if (firstEmailS === null && performance.now() - lastAsked < 1_000) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      lastAsked = performance.now();
      const p = (await (
        await fetch(`${bff.url}/api/tenants/acme/imports/${importId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as {
        done: boolean;
        counts: Record<string, number>;
      };
      const line = `created ${p.counts.created ?? 0}, emailed ${p.counts.emailed ?? 0}, failed ${p.counts.failed ?? 0}`;
      const now = performance.now();
      if (p.done || (line !== last && now - lastPrint > 5_000)) {
        console.log(
          `  ${((now - t0) / 1000).toFixed(1)} s: ${line}; BFF RSS ${mb(rssMb(bff.child.pid))}${database ? `, database RSS ${mb(rssMb(database.child.pid))}` : ""}`,
        );
        last = line;
        lastPrint = now;
      }
      if (p.done) break;
      await new Promise((r) =>
        setTimeout(r, firstEmailS === null ? 100 : 1_000),
      );
    }
    const wall = (performance.now() - t0) / 1000;
    rss.stop();
    // CPU seconds used from the POST to the last email: on a shared machine the wall time mostly
    // measures the other processes, the CPU per person much less so.
    const cpuLine = [
      ["BFF", cpuSeconds(bff.child.pid), bffCpu0],
      ["catcher", cpuSeconds(catcherPid), catcherCpu0],
      ...(database
        ? [["database", cpuSeconds(database.child.pid), databaseCpu0]]
        : []),
    ]
      .map(([name, end, start]) =>
        typeof end === "number" && typeof start === "number"
          ? `${String(name)} ${(end - start).toFixed(1)} s (${(((end - start) / PEOPLE) * 1000).toFixed(2)} ms per person)`
          : `${String(name)} ?`,
      )
      .join(", ");
    const inbox = sink
      ? (await sink.stats()).distinct
      : (
          (await (
            await fetch(`http://127.0.0.1:${catcher?.webPort}/api/email`)
          ).json()) as unknown[]
        ).length;
    const { requests } = (await (
      await emu("GET", "/__emulator/requests")
    ).json()) as { requests: Logged[] };
    const mgmt = requests.filter((r) => r.path.startsWith("/api/v2/"));
    const tooMany = requests.filter((r) => r.status === 429).length;
    const byKind = new Map<string, number>();
    for (const r of mgmt) {
      const key = `${r.method} ${r.path.replace(/job_[A-Za-z0-9]+/, ":id")}`;
      byKind.set(key, (byKind.get(key) ?? 0) + 1);
    }
    // role calls: the role's id lookup (once, without AUTH0_ADMIN_ROLE_ID) and the assignments
    const roleCalls = mgmt.filter((r) => /^\/api\/v2\/roles\b/.test(r.path));
    const held = emulator.store.users
      .list()
      .filter((u) => u.email.startsWith("bench.") && u.roles.length > 0).length;
    const naiveCalls = PEOPLE * 2;
    const naiveSeconds =
      Math.max(0, naiveCalls - ENTERPRISE.burst) / ENTERPRISE.perSecond;
    console.log("");
    console.log(`People invited:                 ${PEOPLE}`);
    console.log(`Emails accepted by the catcher: ${inbox}`);
    console.log(
      `Wall time (POST → last email):  ${wall.toFixed(1)} s (import accepted in ${((accepted - t0) / 1000).toFixed(2)} s); ${(PEOPLE / wall).toFixed(0)} people/s`,
    );
    console.log(
      `Time to the first email:        ${firstEmailS === null ? "?" : `${firstEmailS.toFixed(2)} s`} after the POST`,
    );
    console.log(
      `Peak RSS during the import:     ${Object.entries(rss.peak)
        .map(([k, v]) => `${k} ${mb(v)}`)
        .join(", ")}`,
    );
    console.log(`CPU during the import:          ${cpuLine}`);
    if (previewLine) console.log(previewLine);
    console.log(
      `Load average at the end:        ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    console.log(
      `Management API calls:           ${mgmt.length} (${((mgmt.length / PEOPLE) * 1000).toFixed(2)} per 1,000 invitees)`,
    );
    for (const [k, v] of byKind) console.log(`    ${k}: ${v}`);
    const without = mgmt.length - roleCalls.length;
    console.log(
      `Admins:                         ${ADMINS} invited, ${held} holding "Customer admin" at the end`,
    );
    console.log(
      `Calls per 1,000 without roles:  ${((without / PEOPLE) * 1000).toFixed(2)}; with roles: ${((mgmt.length / PEOPLE) * 1000).toFixed(2)} (+${((roleCalls.length / PEOPLE) * 1000).toFixed(2)}, ${roleCalls.length} role calls)`,
    );
    console.log(`429 responses received:         ${tooMany}`);
    // --bff-log: the BFF's own warnings (LOG_LEVEL=warn), e.g. "email sending failed; will retry"
    if (process.argv.includes("--bff-log")) {
      const lines = bff
        .output()
        .split("\n")
        .filter((l) => l.trim());
      const byMsg = new Map<string, number>();
      for (const l of lines) {
        const m = /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 120);
        byMsg.set(m, (byMsg.get(m) ?? 0) + 1);
      }
      console.log(`BFF log (${lines.length} lines):`);
      for (const [m, n] of byMsg) console.log(`    ${n} × ${m}`);
      for (const l of lines.filter((x) => /email/.test(x)).slice(0, 3))
        console.log(`    e.g. ${l.slice(0, 400)}`);
    }
    console.log(
      `Naive (create + ticket each, computed at ${ENTERPRISE.perSecond}/s after a burst of ${ENTERPRISE.burst}): ${naiveCalls} calls, ≥ ${naiveSeconds.toFixed(0)} s`,
    );
    console.log(
      `Ratio naive / Guestlist:        ${(naiveCalls / Math.max(1, mgmt.length)).toFixed(0)}× fewer calls, ${(naiveSeconds / wall).toFixed(1)}× faster`,
    );
  } finally {
    rss.stop();
    await bff.stop();
    await database?.stop();
    await (sink ?? catcher)?.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
