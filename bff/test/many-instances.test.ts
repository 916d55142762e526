// MANY INSTANCES: two real BFF processes on one PostgreSQL database (its own schema) against one
// emulated Auth0 tenant on its strictest plan (Free: burst 2, 2 requests/s). Four imports of 500
// people, two posted to each instance, with Auth0's import jobs slowed down so that both instances
// poll jobs at the same time and queue behind the two-concurrent-jobs limit. Checks: every person is
// created exactly once in Auth0, every person gets at least one email (each instance has its own
// SMTP catcher, so the split shows both did work), and the two instances together never went over
// the tenant's Management API limit (no 429 in the emulator's log, and no second with more
// requests than the token bucket allows). Needs TEST_DATABASE_URL (scripts/test.sh provides it).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDb } from "../src/db/db.ts";
import {
  writeTenantsFile,
  emulatorBackedEnv,
  startBff,
  type BffProcess,
} from "../src/pipeline/test/bff-process.ts";
import { waitFor } from "../src/pipeline/test/harness.ts";
import {
  freePort,
  startCatcherProcess,
  type SmtpCatcher,
} from "../src/pipeline/test/smtp-catcher.ts";
import { inSchema } from "../src/test/schema-url.ts";

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const IMPORTS = [
  { tenant: "acme", via: 0 },
  { tenant: "globex", via: 1 },
  { tenant: "acme", via: 1 },
  { tenant: "globex", via: 0 },
] as const;
const PER_IMPORT = 500;
const TOTAL = IMPORTS.length * PER_IMPORT;
const PLAN = { burst: 2, perSecond: 2 }; // Auth0 Free: the whole Management API

if (!DATABASE_URL)
  console.log(
    "[many-instances] SKIPPED: TEST_DATABASE_URL is not set (scripts/test.sh starts a PostgreSQL server)",
  );

interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  status: number;
}

/** The most requests that arrived within any one second. */
function busiestSecond(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe.skipIf(!DATABASE_URL)("two BFF instances on one Postgres", () => {
  let emulator: RunningEmulator;
  const catchers: SmtpCatcher[] = [];
  const bffs: BffProcess[] = [];
  let dir: string;
  let schema: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
    dir = mkdtempSync(join(tmpdir(), "guestlist-many-"));
    schema = `many_${randomBytes(5).toString("hex")}`;
    const admin = await openDb({ databaseUrl: DATABASE_URL, poolSize: 1 });
    await admin.query(`create schema ${schema}`);
    await admin.query("create extension if not exists pg_trgm schema public");
    await admin.close();
  });

  afterAll(async () => {
    await Promise.all(bffs.map((b) => b.stop()));
    await Promise.all(catchers.map((c) => c.stop()));
    await emulator?.close();
    const admin = await openDb({ databaseUrl: DATABASE_URL, poolSize: 1 });
    await admin
      .query(`drop schema if exists ${schema} cascade`)
      .catch(() => undefined);
    await admin.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test(
    "share a 2,000-person import: created exactly once, emailed at least once, within the rate limit",
    { timeout: 300_000 },
    async () => {
      const put = (path: string, body: unknown) =>
        fetch(`${emulator.url}${path}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await put("/__emulator/rate-limit", PLAN)).status).toBe(200);
      expect(
        (await put("/__emulator/jobs", { usersPerSecond: 150 })).status,
      ).toBe(200);
      const tenantsFile = writeTenantsFile(dir, [
        { id: "acme", name: "Acme Corp", seatLimit: 5_000 },
        { id: "globex", name: "Globex", seatLimit: 5_000 },
      ]);
      const databaseUrl = inSchema(DATABASE_URL ?? "", schema);

      catchers.push(await startCatcherProcess(), await startCatcherProcess());
      const ports = [await freePort(), await freePort()];
      const envFor = (i: number): Record<string, string> => ({
        ...emulatorBackedEnv({
          emulatorUrl: emulator.url,
          smtpUrl: catchers[i]?.smtpUrl ?? "",
          port: ports[i] ?? 0,
          tenantsFile,
          dir,
        }),
        DATABASE_URL: databaseUrl,
        AUTH0_RATE_LIMIT: "custom",
        AUTH0_RATE_LIMIT_BURST: String(PLAN.burst),
        AUTH0_RATE_LIMIT_PER_SECOND: String(PLAN.perSecond),
        DATA_DIR: dir,
      });
      // one after the other: both would otherwise run the migrations at the same moment
      bffs.push(await startBff(envFor(0), ports[0] ?? 0));
      bffs.push(await startBff(envFor(1), ports[1] ?? 0));

      const since = new Date().toISOString();
      const started = Date.now();
      const tag = `many${Date.now()}`;
      const imports = await Promise.all(
        IMPORTS.map(async ({ tenant, via }, i) => {
          const token = await fetch(`${emulator.url}/__emulator/tokens`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: `admin@${tenant}.test` }),
          }).then(
            async (r) =>
              ((await r.json()) as { access_token: string }).access_token,
          );
          const rows = Array.from({ length: PER_IMPORT }, (_, n) => ({
            email: `${tag}.${i}.${n}@${tenant}.test`,
            givenName: `P${n}`,
            familyName: "Many",
          }));
          const bff = bffs[via];
          const res = await fetch(
            `${bff?.url ?? ""}/api/tenants/${tenant}/imports`,
            {
              method: "POST",
              headers: {
                authorization: `Bearer ${token}`,
                "content-type": "application/json",
                "idempotency-key": `${tag}-${i}`,
              },
              body: JSON.stringify({ rows }),
            },
          );
          expect(
            res.status,
            `${await res.clone().text()}\n${bff?.output().slice(-3000) ?? ""}`,
          ).toBe(202);
          return {
            tenant,
            via,
            token,
            importId: ((await res.json()) as { importId: string }).importId,
          };
        }),
      );

      for (const imp of imports) {
        // ask the other instance: progress is in the shared database
        const other = bffs[1 - imp.via];
        const progress = await waitFor(
          `import ${imp.tenant} to finish`,
          async () => {
            const r = await fetch(
              `${other?.url ?? ""}/api/tenants/${imp.tenant}/imports/${imp.importId}`,
              { headers: { authorization: `Bearer ${imp.token}` } },
            );
            const p = (await r.json()) as {
              done: boolean;
              counts: Record<string, number>;
            };
            return p.done ? p : null;
          },
          240_000,
        );
        expect(progress.counts.failed ?? 0).toBe(0);
      }
      const seconds = (Date.now() - started) / 1000;

      // exactly once in Auth0
      const perEmail = new Map<string, number>();
      for (const u of emulator.store.users.list())
        if (u.email.startsWith(`${tag}.`))
          perEmail.set(u.email, (perEmail.get(u.email) ?? 0) + 1);
      expect(perEmail.size).toBe(TOTAL);
      expect([...perEmail.values()].filter((n) => n !== 1)).toEqual([]);

      // at least once by email, and both instances sent some
      const inboxes = async () =>
        Promise.all(
          catchers.map(
            async (c) =>
              new Set(
                (await c.emails())
                  .flatMap((e) => e.to.map((t) => t.address))
                  .filter((a) => a.startsWith(`${tag}.`)),
              ),
          ),
        );
      const boxes = await waitFor(
        "every email in an inbox",
        async () => {
          const b = await inboxes();
          return new Set(b.flatMap((s) => [...s])).size === TOTAL ? b : null;
        },
        60_000,
      );
      expect(boxes.map((b) => b.size).every((n) => n > 0)).toBe(true);

      // together within the tenant's limit
      const log = (await fetch(
        `${emulator.url}/__emulator/requests?since=${encodeURIComponent(since)}`,
      ).then((r) => r.json())) as { requests: LoggedRequest[] };
      const mgmt = log.requests.filter((r) => r.path.startsWith("/api/v2/"));
      const times = mgmt.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
      const peak = busiestSecond(times);
      const byPath = new Map<string, number>();
      for (const r of mgmt) {
        const key = `${r.method} ${r.path.replace(/job_[A-Za-z0-9]+/, "{id}").replace(/auth0\|[0-9a-f]+/, "{id}")}`;
        byPath.set(key, (byPath.get(key) ?? 0) + 1);
      }
      let sent = 0;
      for (const c of catchers)
        sent += (await c.emails()).filter((e) =>
          e.to.some((t) => t.address.startsWith(`${tag}.`)),
        ).length;
      console.log(
        `[many-instances] ${TOTAL} invitations in ${seconds.toFixed(1)} s through 2 instances; ` +
          `${mgmt.length} Management API calls (${[...byPath].map(([k, n]) => `${k}: ${n}`).join(", ")}); ` +
          `busiest second ${peak} requests; ${sent} emails for ${TOTAL} people, per instance ${boxes.map((b) => b.size).join(" / ")}`,
      );
      expect(mgmt.filter((r) => r.status === 429)).toEqual([]);
      expect(peak).toBeLessThanOrEqual(PLAN.burst + PLAN.perSecond);
    },
  );
});
