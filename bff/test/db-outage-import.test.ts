// THE OUTAGE TEST (docs/decisions/008-database-outages.md): the real BFF in a child process on a
// real PostgreSQL server that this test owns, a 2,000-row import, and the server stopped
// (`pg_ctl stop -m fast`) twice while the import is in flight:
//   1. for 30 s while Auth0 is creating the import job (the call is held by an emulator fault, so
//      the database goes away between "job created" and "job id recorded");
//   2. for 15 s while the invitation emails are going out.
// The BFF must stay up (same process), answer 503 database_unavailable meanwhile, and finish the
// import by itself: everyone created once in Auth0 (its users and its request log), one import
// job per batch, everyone emailed exactly once (the SMTP catcher). Modelled on kill.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  writeTenantsFile,
  emulatorBackedEnv,
  killAllBffs,
  startBff,
  type BffProcess,
} from "../src/pipeline/test/bff-process.ts";
import { waitFor } from "../src/pipeline/test/harness.ts";
import {
  freePort,
  startCatcherProcess,
  type SmtpCatcher,
} from "../src/pipeline/test/smtp-catcher.ts";
import {
  createPgCluster,
  pgClusterUnavailable,
  type PgCluster,
} from "./pg-cluster.ts";

const ROWS = 2_000;
const FIRST_OUTAGE_MS = 30_000;
const SECOND_OUTAGE_MS = 15_000;
const skip = pgClusterUnavailable();
if (skip) console.log(`[db outage import test] skipped: ${skip}`);

describe.skipIf(skip !== null)("a PostgreSQL outage during an import", () => {
  let cluster: PgCluster;
  let emulator: RunningEmulator;
  let catcher: SmtpCatcher;
  let dir: string;
  let bff: BffProcess | undefined;

  beforeAll(async () => {
    cluster = await createPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query("create database guestlist");
    await admin.end();
    emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
    catcher = await startCatcherProcess();
    dir = mkdtempSync(join(tmpdir(), "guestlist-outage-"));
  }, 120_000);
  afterAll(async () => {
    await bff?.stop();
    killAllBffs();
    await catcher?.stop();
    await emulator?.close();
    cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test(
    "the BFF survives two database outages mid-import; nobody is lost, created twice or mailed twice",
    { timeout: 600_000 },
    async () => {
      const emu = (method: string, path: string, body?: unknown) =>
        fetch(`${emulator.url}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      await emu("PUT", "/__emulator/rate-limit", {
        burst: 500,
        perSecond: 250,
      });
      await emu("PUT", "/__emulator/jobs", { usersPerSecond: 400 });
      // Hold the (first) import-job creation for 4 s: Auth0 creates the job after the hold, when
      // the database is already gone.
      await emu("POST", "/__emulator/faults", {
        method: "POST",
        path: "/api/v2/jobs/users-imports",
        delayMs: 4_000,
        count: 1,
      });
      const tenantsFile = writeTenantsFile(dir, [
        { id: "acme", name: "Acme Corp", seatLimit: 5_000 },
      ]);
      const databaseUrl = cluster.url.replace(/\/postgres$/, "/guestlist");
      const port = await freePort();
      bff = await startBff(
        {
          ...emulatorBackedEnv({
            emulatorUrl: emulator.url,
            smtpUrl: catcher.smtpUrl,
            port: port,
            tenantsFile,
            dir,
          }),
          DATA_DIR: join(dir, "data"),
          DATABASE_URL: databaseUrl,
          DATABASE_CONNECT_TIMEOUT_SECONDS: "2",
          AUTH0_RATE_LIMIT: "custom",
          AUTH0_RATE_LIMIT_BURST: "400",
          AUTH0_RATE_LIMIT_PER_SECOND: "200",
          // Shorter than the outages: leases run out while the database is away, and nothing may
          // be claimed twice because of it.
          PIPELINE_LEASE_SECONDS: "10",
          PIPELINE_RECONCILE_GRACE_SECONDS: "1",
          SMTP_POOL_SIZE: "20",
        },
        port,
      );
      const pid = bff.child.pid;
      const token = await emu("POST", "/__emulator/tokens", {
        email: "admin@acme.test",
      })
        .then((r) => r.json() as Promise<{ access_token: string }>)
        .then((b) => b.access_token);
      const auth = { authorization: `Bearer ${token}` };
      const tag = `outage${Date.now()}`;
      const rows = Array.from({ length: ROWS }, (_, i) => ({
        email: `${tag}.${i}@acme.test`,
        givenName: `P${i}`,
        familyName: "Outage",
      }));
      const post = await fetch(`${bff.url}/api/tenants/acme/imports`, {
        method: "POST",
        headers: {
          ...auth,
          "content-type": "application/json",
          "idempotency-key": `${tag}-key`,
        },
        body: JSON.stringify({ rows }),
      });
      expect(post.status, await post.clone().text()).toBe(202);
      const { importId } = (await post.json()) as { importId: string };
      const progressUrl = `${bff.url}/api/tenants/acme/imports/${importId}`;

      const t0 = Date.now();
      const mark = (what: string) =>
        console.log(
          `[outage test] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`,
        );
      const mailedTo = async () =>
        (await catcher.emails())
          .flatMap((e) => e.to.map((t) => t.address))
          .filter((a) => a.startsWith(`${tag}.`));

      // --- outage 1: while Auth0 holds the job creation ---------------------------------------
      await waitFor(
        "the import-job creation to reach Auth0",
        async () => {
          const r = await emu("GET", "/__emulator/faults");
          return (
            ((await r.json()) as { faults: unknown[] }).faults.length === 0
          );
        },
        120_000,
      );
      cluster.stop();
      const stopped1 = Date.now();
      mark("database stopped while the import job is being created");

      // While it is away: the API answers 503 with Retry-After, readiness says why, liveness is up.
      const during = await fetch(progressUrl, { headers: auth });
      expect(during.status).toBe(503);
      expect(during.headers.get("retry-after")).toBe("5");
      expect(await during.json()).toMatchObject({
        statusCode: 503,
        code: "database_unavailable",
      });
      // Readiness checks are cached for a few seconds (features/health/routes.ts).
      const bffUrl = bff.url;
      const ready = await waitFor(
        "readiness to say the database is down",
        async () => {
          const r = await fetch(`${bffUrl}/api/health`);
          return r.status === 503 ? r : null;
        },
        15_000,
      );
      expect(
        ((await ready.json()) as { checks: { db: { status: string } } }).checks
          .db.status,
      ).toBe("down");
      expect((await fetch(`${bff.url}/api/health/live`)).status).toBe(200);
      // Auth0 did create the job meanwhile.
      await waitFor(
        "Auth0 to have the job",
        () => emulator.store.jobs.list().length > 0,
        30_000,
      );
      await new Promise((r) =>
        setTimeout(r, Math.max(0, FIRST_OUTAGE_MS - (Date.now() - stopped1))),
      );
      expect(bff.child.exitCode).toBeNull();
      cluster.start();
      mark("database started again");

      // --- outage 2: while the invitation emails go out -----------------------------------------
      await waitFor(
        "emails going out",
        async () => (await mailedTo()).length > 200,
        300_000,
      );
      const mailedBefore = (await mailedTo()).length;
      cluster.stop();
      mark(`database stopped again at ${mailedBefore} emails`);
      if (mailedBefore >= ROWS)
        console.log(
          "[outage test] note: every email was out before the second outage",
        );
      await new Promise((r) => setTimeout(r, SECOND_OUTAGE_MS));
      expect(bff.child.exitCode).toBeNull();
      cluster.start();
      mark("database started again");

      const progress = await waitFor(
        "the import to finish",
        async () => {
          const r = await fetch(progressUrl, { headers: auth });
          if (r.status !== 200) return null;
          const p = (await r.json()) as {
            done: boolean;
            counts: Record<string, number>;
          };
          return p.done ? p : null;
        },
        300_000,
      );
      mark("import done");
      expect(progress.counts.failed).toBe(0);
      expect(progress.counts.emailed).toBe(ROWS);

      // The same BFF process did all of it.
      expect(bff.child.pid).toBe(pid);
      expect(bff.child.exitCode).toBeNull();
      const out = bff.output();
      expect(out).not.toMatch(/Unhandled 'error' event/);
      expect(out).toMatch(
        /database unavailable: the invitation pipeline is waiting/,
      );
      expect(out).toMatch(/database is back: the invitation pipeline resumes/);

      // Exactly once in Auth0: by email, and one import job per batch, each submitted once.
      const perEmail = new Map<string, number>();
      for (const u of emulator.store.users.list())
        if (u.email.startsWith(`${tag}.`))
          perEmail.set(u.email, (perEmail.get(u.email) ?? 0) + 1);
      expect(perEmail.size).toBe(ROWS);
      expect([...perEmail.values()].filter((c) => c !== 1)).toEqual([]);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const batches = await db.query<{ n: number; attempts: number }>(
        "select count(*)::int as n, coalesce(max(attempts), 0)::int as attempts from import_batches where import_id = $1",
        [importId],
      );
      await db.end();
      const batchCount = batches.rows[0]?.n ?? -1;
      // At most one extra submit intent: when the outage hits the intent's write itself, the server
      // may commit it while its answer is lost, so the step never calls Auth0 and writes a second
      // intent after the outage. Auth0's request log below is the authority: one job per batch.
      expect(batches.rows[0]?.attempts).toBeGreaterThanOrEqual(1);
      expect(batches.rows[0]?.attempts).toBeLessThanOrEqual(2);
      const log = (await (await emu("GET", "/__emulator/requests")).json()) as {
        requests: {
          seq: number;
          method: string;
          path: string;
          status: number;
        }[];
      };
      // The emulator keeps the last 2,000 requests: the log must be complete to count in it.
      expect(log.requests[0]?.seq).toBe(1);
      const jobPosts = log.requests.filter(
        (r) => r.method === "POST" && r.path === "/api/v2/jobs/users-imports",
      );
      expect(jobPosts.map((r) => r.status)).toEqual(
        Array.from({ length: batchCount }, () => 202),
      );
      // No user had to be looked up to tell ours from someone else's (006's reconciliation).
      expect(
        log.requests.filter(
          (r) => r.method === "GET" && r.path.startsWith("/api/v2/users/"),
        ),
      ).toEqual([]);

      // Exactly once in the inbox.
      await waitFor(
        "every email in the inbox",
        async () => new Set(await mailedTo()).size === ROWS,
        120_000,
      );
      const perAddress = new Map<string, number>();
      for (const a of await mailedTo())
        perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
      expect([...perAddress.entries()].filter(([, n]) => n !== 1)).toEqual([]);

      await bff.stop();
      bff = undefined;
    },
  );
});
