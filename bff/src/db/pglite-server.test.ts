// PGlite in its own process (src/db/pglite-server.ts) behind pglite-socket, reached through the
// BFF's Postgres path with one pooled connection (docs/decisions/012-pglite-in-its-own-process.md).
// The server runs in this test's process; the wire protocol is the same as across processes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../config.ts";
import { startHarness, waitFor } from "../pipeline/test/harness.ts";
import { TEST_TENANTS } from "../test/build-test-app.ts";
import { openDb, type Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { startPgliteServer, type PgliteServer } from "./pglite-server.ts";
import { seedTenants } from "./seed.ts";

let dir: string;
let server: PgliteServer;
let db: Db;

const open = () =>
  openDb({ databaseUrl: server.url, poolSize: 1, singleSession: true });

/** Closes `db` and waits until the server has let its connection go (it takes one at a time). */
async function closeDb(): Promise<void> {
  await db.close();
  await waitFor("the server to drop the connection", () =>
    server.connections() === 0 ? true : null,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pglite-server-"));
  server = await startPgliteServer({ dataDir: join(dir, "db"), port: 0 });
  db = await open();
  await migrate(db);
  await seedTenants(db, TEST_TENANTS);
  await db.exec(
    "create table pgs_counter (id int primary key, n int not null); insert into pgs_counter values (1, 0);" +
      "create table pgs_queue (id int primary key, taken_by text); insert into pgs_queue select g, null from generate_series(1, 10) g;",
  );
}, 60_000);

afterAll(async () => {
  await db?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(
  "PGlite behind pglite-socket, one session",
  { timeout: 60_000 },
  () => {
    test("is the postgres engine and the migrations are applied once", async () => {
      expect(db.engine).toBe("postgres");
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ id: string }>(
        "select id from tenants where id = $1",
        ["acme"],
      );
      expect(rows).toEqual([{ id: "acme" }]);
    });

    test("named statements survive a reconnection to the same session", async () => {
      const sql = "select $1::int + 1 as x";
      expect((await db.query(sql, [1])).rows).toEqual([{ x: 2 }]);
      expect((await db.query(sql, [2])).rows).toEqual([{ x: 3 }]);
      // A second client (a restarted BFF) finds the session with the first one's statements.
      await closeDb();
      db = await open();
      expect((await db.query(sql, [3])).rows).toEqual([{ x: 4 }]);
      // Startup parameters are not passed on by pglite-socket: the reset sets the plan mode.
      const { rows } = await db.query<{ plan_cache_mode: string }>(
        "show plan_cache_mode",
      );
      expect(rows).toEqual([{ plan_cache_mode: "force_custom_plan" }]);
    });

    test("the schema is in public, as with PGlite in process, across reconnections", async () => {
      // PGlite starts its backend with search_path=pg_catalog and sets `public` for its session;
      // DISCARD ALL would put pg_catalog back, and migrations would create their tables there.
      const where = async () =>
        (
          await db.query<{ search_path: string; schema: string }>(
            "select current_setting('search_path') as search_path, relnamespace::regnamespace::text as schema from pg_class where relname = $1",
            ["schema_migrations"],
          )
        ).rows;
      expect(await where()).toEqual([
        { search_path: "public", schema: "public" },
      ]);
      await closeDb();
      db = await open();
      expect(await where()).toEqual([
        { search_path: "public", schema: "public" },
      ]);
      expect(await migrate(db)).toEqual([]);
    });

    test("concurrent transactions do not interleave", async () => {
      // Read, then write what was read: interleaved transactions would lose increments.
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction(async (tx) => {
            await tx.query("select pg_advisory_xact_lock($1)", [42]);
            const { rows } = await tx.query<{ n: number }>(
              "select n from pgs_counter where id = $1",
              [1],
            );
            await tx.query("update pgs_counter set n = $1 where id = $2", [
              (rows[0]?.n ?? 0) + 1,
              1,
            ]);
          }),
        ),
      );
      const { rows } = await db.query<{ n: number }>(
        "select n from pgs_counter where id = $1",
        [1],
      );
      expect(rows).toEqual([{ n: 20 }]);
    });

    test("a query waits for the one connection longer than the connect timeout", async () => {
      const short = await (async () => {
        await closeDb();
        return openDb({
          databaseUrl: server.url,
          poolSize: 1,
          singleSession: true,
          connectTimeoutMs: 200,
        });
      })();
      try {
        let release: () => void = () => undefined;
        const held = new Promise<void>((r) => (release = r));
        const tx = short.transaction(async (t) => {
          await t.query("select $1::int as one", [1]);
          await held;
        });
        const waiting = short.query<{ two: number }>(
          "select $1::int as two",
          [2],
        );
        // Let the waiting query sit in pg-pool's queue past connectTimeoutMs.
        await new Promise((r) => setTimeout(r, 600));
        release();
        await tx;
        expect((await waiting).rows).toEqual([{ two: 2 }]);
      } finally {
        await short.close();
        await waitFor("the server to drop the connection", () =>
          server.connections() === 0 ? true : null,
        );
        db = await open();
      }
    });

    test("a throwing transaction rolls back and the session stays usable", async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(
            "update pgs_counter set n = $1 where id = $2",
            [-1, 1],
          );
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const { rows } = await db.query<{ n: number }>(
        "select n from pgs_counter where id = $1",
        [1],
      );
      expect(rows).toEqual([{ n: 20 }]);
    });

    test("for update skip locked claims each row once", async () => {
      const claims = await Promise.all(
        ["a", "b", "c"].map((who) =>
          db.transaction(async (tx) => {
            const { rows } = await tx.query<{ id: number }>(
              "select id from pgs_queue where taken_by is null order by id limit $1 for update skip locked",
              [4],
            );
            await tx.query(
              "update pgs_queue set taken_by = $1 where id = any($2)",
              [who, rows.map((r) => r.id)],
            );
            return rows.map((r) => r.id);
          }),
        ),
      );
      const all = claims.flat().sort((a, b) => a - b);
      expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    test("refuses a pool of more than one connection", async () => {
      await expect(
        openDb({ databaseUrl: server.url, poolSize: 2, singleSession: true }),
      ).rejects.toThrow(/one connection/);
    });

    test("keeps the data across a server restart on the same directory", async () => {
      await closeDb();
      await server.close();
      server = await startPgliteServer({ dataDir: join(dir, "db"), port: 0 });
      db = await open();
      const { rows } = await db.query<{ n: number }>(
        "select n from pgs_counter where id = $1",
        [1],
      );
      expect(rows).toEqual([{ n: 20 }]);
    });
  },
);

describe("an import through the pipeline", { timeout: 180_000 }, () => {
  test("creates and emails every person", async () => {
    await closeDb();
    const h = await startHarness({ db: await open() });
    try {
      await h.t.db.query(
        "update tenants set seat_limit = 10000 where id = 'acme'",
      );
      const rows = Array.from({ length: 12 }, (_, i) => ({
        email: `socket.${i}@acme.test`,
        givenName: `Given${i}`,
        familyName: "Tester",
      }));
      const res = await h.t.app.inject({
        method: "POST",
        url: "/api/tenants/acme/imports",
        headers: {
          authorization: `Bearer ${await h.t.tokens.admin("acme")}`,
          "idempotency-key": "socket-import",
        },
        payload: { rows },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { importId } = res.json<{ importId: string }>();
      const done = await waitFor("import done", async () => {
        const p = await h.t.app.inject({
          url: `/api/tenants/acme/imports/${importId}`,
          headers: {
            authorization: `Bearer ${await h.t.tokens.admin("acme")}`,
          },
        });
        const body = p.json<{
          done: boolean;
          counts: Record<string, number>;
        }>();
        return body.done ? body : null;
      });
      expect(done.counts.emailed).toBe(12);
      const sent = new Set(
        (await h.catcher.emails()).flatMap((e) => e.to.map((t) => t.address)),
      );
      for (const r of rows) expect(sent.has(r.email)).toBe(true);
    } finally {
      await h.close();
      await waitFor("the server to drop the connection", () =>
        server.connections() === 0 ? true : null,
      );
      db = await open();
    }
  });
});

describe("DATABASE_SINGLE_SESSION", () => {
  const base = {
    NODE_ENV: "test",
    DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres",
    DATABASE_SINGLE_SESSION: "1",
  };
  test("forces a pool of one", () => {
    const config = loadConfig(base);
    expect(config.databasePool).toMatchObject({ size: 1, singleSession: true });
  });
  test("refuses DATABASE_POOL_SIZE above 1", () => {
    expect(() => loadConfig({ ...base, DATABASE_POOL_SIZE: "4" })).toThrow(
      /DATABASE_POOL_SIZE: must be 1 \(or unset\) with DATABASE_SINGLE_SESSION/,
    );
    expect(
      loadConfig({ ...base, DATABASE_POOL_SIZE: "1" }).databasePool.size,
    ).toBe(1);
  });
  test("needs a postgres:// DATABASE_URL", () => {
    expect(() =>
      loadConfig({ NODE_ENV: "test", DATABASE_SINGLE_SESSION: "1" }),
    ).toThrow(/DATABASE_SINGLE_SESSION: needs DATABASE_URL/);
  });
  test("is off by default", () => {
    expect(loadConfig({ NODE_ENV: "test" }).databasePool).toMatchObject({
      size: 10,
      singleSession: false,
    });
  });
});
