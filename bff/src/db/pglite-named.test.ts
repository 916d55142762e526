// PGlite with named statements (db.ts): the same answers as PGlite's own query(), never inside
// another caller's transaction, errors leave the session usable, a broken cached plan falls back.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDb, type Db } from "./db.ts";

describe("PGlite named statements", () => {
  let named: Db;
  let unnamed: Db;
  beforeAll(async () => {
    named = await openDb({});
    unnamed = await openDb({ namedStatements: false });
    for (const db of [named, unnamed])
      await db.exec(
        `create table t (id int primary key, at timestamptz, tags text[], doc jsonb, ok boolean, n numeric);
         insert into t select g, '2026-11-30T10:00:00Z'::timestamptz + g * interval '1 minute',
           array['a' || g, 'b'], jsonb_build_object('g', g), g % 2 = 0, g / 3.0
         from generate_series(1, 20) g;`,
      );
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
  });

  test("answers exactly as the unnamed path, also on repeated executions", async () => {
    const cases: [string, unknown[]][] = [
      ["select * from t where id = $1", [3]],
      ["select * from t where id = $1", [4]],
      ["select * from t where id = $1", [99]],
      [
        "select * from t where at > $1 order by id",
        [new Date("2026-11-30T10:15:00Z")],
      ],
      ["select id from t where tags && $1::text[] order by id", [["a5", "a7"]]],
      ["select id, doc from t where doc @> $1::jsonb order by id", [{ g: 6 }]],
      ["select count(*)::int as n from t where ok = $1", [true]],
      ["select $1::text is null as missing", [null]],
      ["select id from t where id = any($1::int[]) order by id", [[1, 2, 3]]],
    ];
    for (let round = 0; round < 3; round++)
      for (const [sql, params] of cases)
        expect(await named.query(sql, params), sql).toEqual(
          await unnamed.query(sql, params),
        );
  });

  test("the texts with parameters became named statements, once each", async () => {
    const prepared = async (db: Db) =>
      (
        await db.query<{ name: string }>(
          "select name from pg_prepared_statements where statement not like $1",
          ["%pg_prepared_statements%"],
        )
      ).rows.map((r) => r.name);
    expect(await prepared(named)).toHaveLength(7); // the 7 distinct texts above
    expect((await prepared(named))[0]).toMatch(/^gl_[0-9a-f]{40}$/);
    expect(await prepared(unnamed)).toEqual([]);
  });

  test("rowCount of writes", async () => {
    for (const db of [named, unnamed]) {
      const r = await db.query(
        "update t set n = n + $1 where id <= $2",
        [1, 5],
      );
      expect(r.rowCount).toBe(5);
    }
  });

  test("never runs inside another caller's transaction", async () => {
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const tx = named
      .transaction(async (q) => {
        await q.query("insert into t (id) values ($1)", [1000]);
        inside();
        await finished;
        throw new Error("roll back");
      })
      .catch((error: unknown) => error);
    await entered;
    // Sent while the transaction is open: must not join it (nor see its row).
    const read = named.query<{ n: number }>(
      "select count(*)::int as n from t where id >= $1",
      [1000],
    );
    const write = named.query("insert into t (id) values ($1)", [1001]);
    finish();
    expect(await tx).toBeInstanceOf(Error);
    expect((await read).rows[0]?.n).toBe(0);
    await write;
    const ids = (
      await named.query<{ id: number }>(
        "select id from t where id >= $1 order by id",
        [1000],
      )
    ).rows.map((r) => r.id);
    expect(ids).toEqual([1001]); // the write survived the other transaction's rollback
    await named.query("delete from t where id >= $1", [1000]);
  });

  test("an error leaves the session usable; the statement is reused after it", async () => {
    await expect(
      named.query("insert into t (id) values ($1)", [1]),
    ).rejects.toMatchObject({ code: "23505" });
    await expect(
      named.query("select * from no_such_table where id = $1", [1]),
    ).rejects.toMatchObject({ code: "42P01" });
    expect(
      (await named.query("insert into t (id) values ($1)", [2000])).rowCount,
    ).toBe(1);
    expect(
      (
        await named.query<{ id: number }>(
          "select id from t where id = $1",
          [2000],
        )
      ).rows,
    ).toEqual([{ id: 2000 }]);
    // Inside a transaction of its own caller, statements run in it (the unnamed path).
    await named.transaction(async (q) => {
      await q.query("delete from t where id = $1", [2000]);
    });
    expect(
      (await named.query("select id from t where id = $1", [2000])).rowCount,
    ).toBe(0);
  });

  test("a cached plan broken by a schema change falls back to the unnamed path", async () => {
    const sql = "select * from t where id = $1";
    expect(
      Object.keys((await named.query(sql, [1])).rows[0] ?? {}),
    ).not.toContain("extra");
    await named.exec("alter table t add column extra int default 7");
    const after = await named.query<{ extra: number }>(sql, [1]);
    expect(after.rows[0]?.extra).toBe(7);
    expect(
      (await named.query<{ extra: number }>(sql, [2])).rows[0]?.extra,
    ).toBe(7);
  });

  test("plans stay custom (plan_cache_mode), as on Postgres", async () => {
    const r = await named.query<{ plan_cache_mode: string }>(
      "show plan_cache_mode",
    );
    expect(r.rows[0]?.plan_cache_mode).toBe("force_custom_plan");
  });

  test("a result of 200,000 rows (more protocol messages than one call may take as arguments)", async () => {
    const r = await named.query<{ n: number }>(
      "select g as n from generate_series(1, $1::int) g",
      [200_000],
    );
    expect(r.rows.length).toBe(200_000);
    expect(r.rows.at(-1)?.n).toBe(200_000);
  });

  test("no debug notices: client_min_messages is warning (PGlite starts at debug3)", async () => {
    for (const db of [named, unnamed]) {
      const r = await db.query<{ client_min_messages: string }>(
        "show client_min_messages",
      );
      expect(r.rows[0]?.client_min_messages).toBe("warning");
    }
  });
});
