// pnpm bench:invite — 10,000 people end to end: rows posted → every email accepted by the SMTP
// catcher, against the Auth0 emulator at the enterprise rate limit (burst 50, 16/s). The BFF runs
// as a real child process (src/server.ts); maildev runs as another. Prints wall time, Management
// API calls per 1,000 invitees, 429s received, and the naive approach for comparison.
// `pnpm bench:invite [people] [--admins N]`: the first N rows are invited as admins ("Customer
// admin" granted by the role step in batches); the calls are then reported with and without the
// role calls, so the cost of roles per 1,000 invitees is visible.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "@app/auth0-emulator";
import { startBff } from "../src/pipeline/test/bff-process.ts";
import {
  freePort,
  startCatcherProcess,
} from "../src/pipeline/test/smtp-catcher.ts";

function parseArgs(argv: readonly string[]): {
  people: number;
  admins: number;
} {
  let people = 10_000;
  let admins = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--admins") admins = Number(argv[++i]);
    else if (a.startsWith("--admins=")) admins = Number(a.slice(9));
    else if (/^\d+$/.test(a)) people = Number(a);
    else if (a !== "--") throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(admins) || admins < 0 || admins > people)
    throw new Error("--admins must be a whole number ≤ people");
  return { people, admins };
}
const { people: PEOPLE, admins: ADMINS } = parseArgs(process.argv.slice(2));
const ENTERPRISE = { burst: 50, perSecond: 16 };

interface Logged {
  method: string;
  path: string;
  status: number;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
  const catcher = await startCatcherProcess();
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
  const tenantsFile = join(dir, "tenants.json");
  writeFileSync(
    tenantsFile,
    JSON.stringify({
      tenants: [
        {
          id: "acme",
          name: "Acme Corp",
          seatLimit: PEOPLE + 100,
          allowedDomains: ["acme.test"],
          invitationLifetimeDays: 7,
        },
      ],
    }),
  );
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: "test", // the emulator and the seed: production refuses both (config.ts)
    LOG_LEVEL: "warn",
    AUTH0_MANAGEMENT_URL: emulator.url,
    AUTH0_ISSUER_BASE_URL: `${emulator.url}/`,
    AUTH0_RATE_LIMIT: "enterprise",
    SMTP_URL: catcher.smtpUrl,
    SMTP_POOL_SIZE: "20",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TENANTS_FILE: tenantsFile,
    SEED_TENANTS: "true",
    DATA_DIR: dir,
    WEB_DIST: join(dir, "no-web"),
  };
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const bff = await startBff(env, port);
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
      `Inviting ${PEOPLE} people, ${ADMINS} of them admins (engine: ${databaseUrl ? "postgres" : "pglite on disk"}, Auth0 limit burst ${ENTERPRISE.burst}, ${ENTERPRISE.perSecond}/s)…`,
    );
    const t0 = performance.now();
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
    let last = "";
    for (;;) {
      const p = (await (
        await fetch(`${bff.url}/api/tenants/acme/imports/${importId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as {
        done: boolean;
        counts: Record<string, number>;
      };
      const line = `  ${((performance.now() - t0) / 1000).toFixed(1)} s: created ${p.counts.created ?? 0}, emailed ${p.counts.emailed ?? 0}, failed ${p.counts.failed ?? 0}`;
      if (line !== last) console.log(line);
      last = line;
      if (p.done) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const wall = (performance.now() - t0) / 1000;
    const inbox = (
      (await (
        await fetch(`http://127.0.0.1:${catcher.webPort}/api/email`)
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
    const held = Object.values(emulator.store.state.users).filter(
      (u) => u.email.startsWith("bench.") && u.roles.length > 0,
    ).length;
    const naiveCalls = PEOPLE * 2;
    const naiveSeconds =
      Math.max(0, naiveCalls - ENTERPRISE.burst) / ENTERPRISE.perSecond;
    console.log("");
    console.log(`People invited:                 ${PEOPLE}`);
    console.log(`Emails accepted by the catcher: ${inbox}`);
    console.log(
      `Wall time (POST → last email):  ${wall.toFixed(1)} s (import accepted in ${((accepted - t0) / 1000).toFixed(1)} s)`,
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
    console.log(
      `Naive (create + ticket each, computed at ${ENTERPRISE.perSecond}/s after a burst of ${ENTERPRISE.burst}): ${naiveCalls} calls, ≥ ${naiveSeconds.toFixed(0)} s`,
    );
    console.log(
      `Ratio naive / Guestlist:        ${(naiveCalls / Math.max(1, mgmt.length)).toFixed(0)}× fewer calls, ${(naiveSeconds / wall).toFixed(1)}× faster`,
    );
  } finally {
    await bff.stop();
    await catcher.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
