// Generic plans where planning is dear (generic-plans.ts): PGlite in this process and PGlite in its
// own process behind pglite-socket (one session) plan a statement once; a PostgreSQL server keeps
// planning every call with its values. Checked from the server's own counters
// (pg_prepared_statements.generic_plans / custom_plans).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEST_DATABASE_URL } from "../test/databases.ts";
import { openDb, type Db } from "./db.ts";
import {
  inlineParameters,
  literal,
  MAX_PREPARED,
  PreparedStatements,
} from "./generic-plans.ts";
import { startPgliteServer, type PgliteServer } from "./pglite-server.ts";

describe("inlineParameters", () => {
  test("writes the listed parameters as literals and renumbers the others", () => {
    const { text, values } = inlineParameters(
      "select $1::text, $2, $3::text, $10, $1 where x = $11",
      ["it's", 51, "%a%", 4, 5, 6, 7, 8, 9, "ten", "eleven"],
      [0, 1],
    );
    expect(text).toBe(
      "select 'it''s'::text, 51, $1::text, $8, 'it''s' where x = $9",
    );
    expect(values).toEqual(["%a%", 4, 5, 6, 7, 8, 9, "ten", "eleven"]);
  });

  test("quotes what cannot be trusted, and refuses what has no literal", () => {
    expect(literal("a\\b'; drop table x; --")).toBe(
      " E'a\\\\b''; drop table x; --'",
    );
    expect(literal(null)).toBe("null");
    expect(literal(true)).toBe("true");
    expect(literal(new Date("2026-11-30T00:00:00Z"))).toBe(
      "'2026-11-30T00:00:00.000Z'",
    );
    expect(() => literal(Number.NaN)).toThrow(/no SQL literal/);
    expect(() => literal({})).toThrow(/no SQL literal/);
    expect(() => inlineParameters("select $2", [1], [])).toThrow(
      /refers to \$2 of 1/,
    );
  });
});

test("PreparedStatements keeps the most recently used and hands back the others to deallocate", () => {
  const prepared = new PreparedStatements(2);
  expect(prepared.add("a", "na")).toEqual([]);
  expect(prepared.add("b", "nb")).toEqual([]);
  expect(prepared.use("a")).toBe("na"); // now b is the oldest
  expect(prepared.add("c", "nc")).toEqual(["nb"]);
  expect(prepared.use("b")).toBeUndefined();
  expect(prepared.use("c")).toBe("nc");
});

const STATEMENT =
  "select count(*)::int as n from generate_series(1, $2::int) g where g::text like $1::text";

/** generic_plans and custom_plans of the session's prepared statements of STATEMENT's kind. */
async function planCounts(
  db: Db,
): Promise<{ generic: number; custom: number; statements: number }> {
  const { rows } = await db.query<{
    generic: number;
    custom: number;
    statements: number;
  }>(
    `select coalesce(sum(generic_plans), 0)::int as generic, coalesce(sum(custom_plans), 0)::int as custom,
            count(*)::int as statements
       from pg_prepared_statements where statement like '%generate_series%'`,
  );
  return rows[0] ?? { generic: 0, custom: 0, statements: 0 };
}

async function behavesAsGeneric(db: Db): Promise<void> {
  const run = (pattern: string, upTo: number) =>
    db.query<{ n: number }>(STATEMENT, [pattern, upTo], {
      genericPlan: { inline: [1] },
    });
  expect((await run("1%", 20)).rows).toEqual([{ n: 11 }]); // 1, 10–19
  expect((await run("2%", 20)).rows).toEqual([{ n: 2 }]);
  expect((await run("%", 5)).rows).toEqual([{ n: 5 }]);
  const counts = await planCounts(db);
  // one statement per inlined value (20 and 5), each planned generically: 3 generic plans, none custom
  expect(counts).toEqual({ generic: 3, custom: 0, statements: 2 });
  // the setting was for the call only
  const mode = await db.query<{ plan_cache_mode: string }>(
    "show plan_cache_mode",
  );
  expect(mode.rows[0]?.plan_cache_mode).toBe("force_custom_plan");
  // an error inside the call leaves nothing behind either
  await expect(
    db.query("select 1 / ($1::int - 1) as x, $2::int as y", [1, 2], {
      genericPlan: { inline: [1] },
    }),
  ).rejects.toMatchObject({ code: "22012" });
  const after = await db.query<{ plan_cache_mode: string }>(
    "show plan_cache_mode",
  );
  expect(after.rows[0]?.plan_cache_mode).toBe("force_custom_plan");
  // and a statement prepared before a schema change is prepared again
  await db.exec(
    "create table gp_shape (a int); insert into gp_shape values (1)",
  );
  const shape = () =>
    db.query("select * from gp_shape where a = $1::int", [1], {
      genericPlan: { inline: [] },
    });
  expect((await shape()).rows).toEqual([{ a: 1 }]);
  await db.exec("alter table gp_shape add column b int default 2");
  expect((await shape()).rows).toEqual([{ a: 1, b: 2 }]);
}

describe("generic plans on PGlite in this process", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({});
  });
  afterAll(() => db.close());

  test("plans once per inlined value, resets the setting, survives errors and schema changes", async () => {
    await behavesAsGeneric(db);
  });

  test("keeps at most MAX_PREPARED statements in the session, the least recently used out first", async () => {
    const call = (n: number) =>
      db.query<{ n: number }>("select $1::int + $2::int as n", [n, 1], {
        genericPlan: { inline: [0] },
      });
    for (let n = 0; n < MAX_PREPARED + 10; n++) {
      expect((await call(n)).rows).toEqual([{ n: n + 1 }]);
      if (n >= 1) await call(0); // 0 stays the most recently used
    }
    const prepared = await db.query<{ statement: string }>(
      "select statement from pg_prepared_statements where name like 'glg_%' and statement like '%+ $1::int as n'",
    );
    expect(prepared.rows).toHaveLength(MAX_PREPARED);
    const kept = prepared.rows.map((r) => r.statement);
    expect(kept.some((t) => t.includes("select 0::int"))).toBe(true);
    expect(kept.some((t) => t.includes("select 1::int"))).toBe(false);
    // a statement pushed out is prepared again when it is called again
    expect((await call(1)).rows).toEqual([{ n: 2 }]);
  });
});

describe(
  "generic plans on PGlite in its own process (one session)",
  { timeout: 60_000 },
  () => {
    let dir: string;
    let server: PgliteServer;
    let db: Db;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "generic-plans-"));
      server = await startPgliteServer({ dataDir: join(dir, "db"), port: 0 });
      db = await openDb({
        databaseUrl: server.url,
        poolSize: 1,
        singleSession: true,
      });
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await server?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test("plans once per inlined value, resets the setting, survives errors and schema changes", async () => {
      await behavesAsGeneric(db);
    });
  },
);

describe.runIf(TEST_DATABASE_URL)(
  "a PostgreSQL server keeps custom plans",
  () => {
    let db: Db;
    beforeAll(async () => {
      db = await openDb({ databaseUrl: TEST_DATABASE_URL, poolSize: 1 });
    });
    afterAll(() => db?.close());

    test("the option is ignored: the statement is planned for each call's values", async () => {
      for (const pattern of ["1%", "2%", "3%"])
        await db.query(STATEMENT, [pattern, 20], {
          genericPlan: { inline: [1] },
        });
      const counts = await planCounts(db);
      expect(counts.generic).toBe(0);
      expect(counts.custom).toBeGreaterThanOrEqual(3);
    });
  },
);
