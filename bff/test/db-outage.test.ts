// A real PostgreSQL server stopped under the BFF (`pg_ctl stop -m fast`, what a managed database's
// restart or failover looks like from here): the pool survives the terminated connections, the
// API answers 503 database_unavailable with Retry-After, readiness says why, liveness and the
// SPA's static files keep answering, and everything works again once the server is back.
// docs/decisions/008-database-outages.md. The whole-import version is db-outage-import.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDb, type Db } from "../src/db/db.ts";
import { buildTestApp, type TestApp } from "../src/test/build-test-app.ts";
import {
  createPgCluster,
  pgClusterUnavailable,
  type PgCluster,
} from "./pg-cluster.ts";

const skip = pgClusterUnavailable();
if (skip) console.log(`[db outage tests] skipped: ${skip}`);

describe.skipIf(skip !== null)("a PostgreSQL restart under the BFF", () => {
  let cluster: PgCluster;
  let db: Db;
  let t: TestApp;
  const connectionErrors: Error[] = [];

  beforeAll(async () => {
    cluster = await createPgCluster();
    db = await openDb({
      databaseUrl: cluster.url,
      poolSize: 4,
      connectTimeoutMs: 1_000,
      onConnectionError: (e) => connectionErrors.push(e),
    });
    t = await buildTestApp({ db });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await db?.close().catch(() => undefined);
    cluster?.destroy();
  });

  test("pool, API, readiness and pipeline-facing errors while the server is away and after", async () => {
    const token = await t.tokens.admin("acme");
    const auth = { authorization: `Bearer ${token}` };
    // Idle connections in the pool: the server will terminate them.
    await Promise.all([1, 2, 3].map(() => db.query("select pg_sleep(0.05)")));
    expect(
      (await t.app.inject({ url: "/api/tenants/acme", headers: auth }))
        .statusCode,
    ).toBe(200);

    cluster.stop();
    // Before: the pool re-emitted 57P01 as an unhandled 'error' event and the process died.
    await expect.poll(() => connectionErrors.length).toBeGreaterThan(0);
    expect(
      connectionErrors.map((e) => (e as { code?: string }).code),
    ).toContain("57P01");

    const api = await t.app.inject({ url: "/api/tenants/acme", headers: auth });
    expect(api.statusCode).toBe(503);
    expect(api.headers["retry-after"]).toBe("5");
    expect(api.json()).toEqual({
      statusCode: 503,
      code: "database_unavailable",
      message: "The database is temporarily unavailable; try again shortly",
    });
    // A change (a transaction with row locks) gets the same answer.
    const write = await t.app.inject({
      method: "PATCH",
      url: "/api/tenants/acme",
      headers: { authorization: `Bearer ${await t.tokens.support()}` },
      payload: { seatLimit: 60 },
    });
    expect(write.statusCode).toBe(503);
    expect(write.json()).toMatchObject({ code: "database_unavailable" });

    const ready = await t.app.inject({ url: "/api/health" });
    expect(ready.statusCode).toBe(503);
    const health = ready.json<{
      checks: { db: { status: string; message?: string } };
    }>();
    expect(health.checks.db.status).toBe("down");
    expect(health.checks.db.message).toBeUndefined(); // the reason is support's (/health/details)
    const details = await t.app.inject({
      url: "/api/health/details",
      headers: { authorization: `Bearer ${await t.tokens.support()}` },
    });
    expect(details.statusCode).toBe(503);
    expect(
      details.json<{ checks: { db: { message?: string } } }>().checks.db
        .message,
    ).toMatch(/database.*\((ECONNREFUSED|57P0[13]|ECONNRESET)\)/i);
    expect((await t.app.inject({ url: "/api/health/live" })).statusCode).toBe(
      200,
    );
    await expect(db.query("select 1")).rejects.toMatchObject({
      code: "database_unavailable",
    });

    cluster.start();
    await expect
      .poll(
        async () =>
          (await t.app.inject({ url: "/api/tenants/acme", headers: auth }))
            .statusCode,
        {
          timeout: 20_000,
          interval: 250,
        },
      )
      .toBe(200);
    // Readiness is cached for a few seconds: it turns ready within that.
    await expect
      .poll(
        async () => (await t.app.inject({ url: "/api/health" })).statusCode,
        { timeout: 10_000, interval: 250 },
      )
      .toBe(200);
    await db.transaction(async (tx) => {
      await tx.query("select 1");
    });
  });
});
