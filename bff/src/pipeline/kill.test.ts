// THE KILL TEST: the real BFF in a child process, an import of 2,000 rows, kill -9 at several
// moments, restart, and: every row is created exactly once in Auth0, emailed at least once, and
// none is lost. It runs on the embedded default (PGlite in a data directory) and, when
// TEST_DATABASE_URL is set, on a real PostgreSQL server (the test creates and drops its own database).
// Known PGlite limit: a kill during the very first start (initdb) can leave an unusable data
// directory; the test kills only after the BFF has served requests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  writeTenantsFile,
  emulatorBackedEnv,
  killAllBffs,
  startBff,
  type BffProcess,
} from "./test/bff-process.ts";
import { waitFor } from "./test/harness.ts";
import {
  freePort,
  startCatcherProcess,
  type SmtpCatcher,
} from "./test/smtp-catcher.ts";

const ROWS = 2_000;
let emulator: RunningEmulator;
let catcher: SmtpCatcher;
let dir: string;
let bff: BffProcess | undefined;
const serverUrl = process.env.TEST_DATABASE_URL;
const dbName = `guestlist_kill_${process.pid}_${Date.now()}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (serverUrl) await admin(`create database ${dbName}`);
  emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
  catcher = await startCatcherProcess();
  dir = mkdtempSync(join(tmpdir(), "guestlist-kill-"));
});
afterAll(async () => {
  await bff?.stop();
  killAllBffs();
  if (serverUrl)
    await admin(`drop database if exists ${dbName} with (force)`).catch(
      () => undefined,
    );
  await catcher?.stop();
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const engines = [
  { engine: "pglite" },
  ...(serverUrl ? [{ engine: "postgres" }] : []),
];
if (!serverUrl)
  console.log("[kill test] TEST_DATABASE_URL not set: running on PGlite only");

test.each(engines)(
  "kill -9 during a 2,000-row import on $engine loses nothing and creates nobody twice",
  { timeout: 600_000 },
  async ({ engine }) => {
    // A generous Management API limit (on both sides): this test is about durability. A kill in the
    // window between Auth0 creating a job and us recording its id makes the batch ambiguous, and
    // reconciling it costs one get-user per row; at the enterprise limit that alone takes minutes.
    await fetch(`${emulator.url}/__emulator/rate-limit`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ burst: 500, perSecond: 250 }),
    });
    // Slow Auth0's job processing down so the kills land while jobs are running.
    await fetch(`${emulator.url}/__emulator/jobs`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ usersPerSecond: 400 }),
    });
    const tenantsFile = writeTenantsFile(
      dir,
      [{ id: "acme", name: "Acme Corp", seatLimit: 5_000 }],
      `tenants-${engine}.json`,
    );
    const port = await freePort();
    const env: Record<string, string> = {
      ...emulatorBackedEnv({
        emulatorUrl: emulator.url,
        smtpUrl: catcher.smtpUrl,
        port: port,
        tenantsFile,
        dir,
      }),
      DATA_DIR: join(dir, engine),
      AUTH0_RATE_LIMIT: "custom",
      AUTH0_RATE_LIMIT_BURST: "400",
      AUTH0_RATE_LIMIT_PER_SECOND: "200",
      PIPELINE_LEASE_SECONDS: "3",
      PIPELINE_RECONCILE_GRACE_SECONDS: "1",
      SMTP_POOL_SIZE: "20",
    };
    if (engine === "postgres") {
      const dbUrl = new URL(serverUrl ?? "");
      dbUrl.pathname = `/${dbName}`;
      env.DATABASE_URL = dbUrl.href;
    }
    bff = await startBff(env, port);
    const token = await fetch(`${emulator.url}/__emulator/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@acme.test" }),
    })
      .then((r) => r.json() as Promise<{ access_token: string }>)
      .then((b) => b.access_token);
    const tag = `kill${Date.now()}`;
    // every 20th row is an admin: 100 "Customer admin" assignments owed across the kills
    const isAdmin = (i: number) => i % 20 === 0;
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      email: `${tag}.${i}@acme.test`,
      givenName: `P${i}`,
      familyName: "Kill",
      ...(isAdmin(i) ? { role: "admin" } : {}),
    }));
    const post = await fetch(`${bff.url}/api/tenants/acme/imports`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": `${tag}-key`,
      },
      body: JSON.stringify({ rows }),
    });
    expect(post.status, await post.clone().text()).toBe(202);
    const { importId } = (await post.json()) as { importId: string };

    const t0 = Date.now();
    const mark = (what: string) =>
      console.log(
        `[kill test] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`,
      );
    const created = () =>
      emulator.store.users.list().filter((u) => u.email.startsWith(`${tag}.`))
        .length;
    const mailed = async () =>
      new Set(
        (await catcher.emails())
          .flatMap((e) => e.to.map((t) => t.address))
          .filter((a) => a.startsWith(`${tag}.`)),
      ).size;

    // 1: while the first import jobs are being submitted / processed
    await waitFor("first users in Auth0", () => created() > 0, 120_000);
    mark(`kill 1 at ${created()} created`);
    await bff.kill9();
    bff = await startBff(env, port);
    mark("restarted");
    // 2: while emails are going out
    await waitFor("some emails", async () => (await mailed()) > 300, 180_000);
    mark(`kill 2 at ${await mailed()} emailed`);
    await bff.kill9();
    bff = await startBff(env, port);
    mark("restarted");
    // 3: later, again during emailing (or right after the second restart if it already finished)
    await waitFor("more emails", async () => (await mailed()) > 1_000, 180_000);
    mark(`kill 3 at ${await mailed()} emailed`);
    await bff.kill9();
    bff = await startBff(env, port);
    mark("restarted");

    const progress = await waitFor(
      "the import to finish",
      async () => {
        const r = await fetch(
          `${bff?.url ?? ""}/api/tenants/acme/imports/${importId}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        const p = (await r.json()) as {
          done: boolean;
          counts: Record<string, number>;
        };
        return p.done ? p : null;
      },
      300_000,
    );
    mark("done");
    expect(progress.counts.emailed).toBe(ROWS);
    expect(progress.counts.failed).toBe(0);

    // exactly once in Auth0, by email
    const perEmail = new Map<string, number>();
    for (const u of emulator.store.users.list())
      if (u.email.startsWith(`${tag}.`))
        perEmail.set(u.email, (perEmail.get(u.email) ?? 0) + 1);
    expect(perEmail.size).toBe(ROWS);
    expect([...perEmail.values()].filter((c) => c !== 1)).toEqual([]);
    // every admin row holds "Customer admin" exactly once; nobody else holds it (the import is
    // done only when no role is owed any more)
    const adminRole = "rol_CustomerAdmin01";
    const wrongRoles = emulator.store.users
      .list()
      .filter((u) => u.email.startsWith(`${tag}.`))
      .filter((u) => {
        const i = Number(u.email.slice(tag.length + 1).split("@")[0]);
        const held = u.roles.filter((r) => r === adminRole).length;
        return held !== (isAdmin(i) ? 1 : 0) || u.roles.length !== held;
      })
      .map((u) => u.email);
    expect(wrongRoles).toEqual([]);
    // at least once in the inbox
    await waitFor(
      "every email in the inbox",
      async () => (await mailed()) === ROWS,
      120_000,
    );
    // the same Idempotency-Key after all those restarts: still the same import
    const again = await fetch(`${bff.url}/api/tenants/acme/imports`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": `${tag}-key`,
      },
      body: JSON.stringify({ rows }),
    });
    expect(((await again.json()) as { importId: string }).importId).toBe(
      importId,
    );
    await bff.stop();
    bff = undefined;
  },
);
