import { expect, test } from "vitest";
import { bindSql, runSql } from "./named-sql.ts";
import type { Queryable } from "./db.ts";

test("names become numbered parameters in order of first use", () => {
  expect(
    bindSql("update t set a = :a where id = :id and b = :a", { id: 7, a: "x" }),
  ).toEqual({
    text: "update t set a = $1 where id = $2 and b = $1",
    values: ["x", 7],
  });
});

test("casts, quoted literals and comments are left alone", () => {
  const text = `select :ids::uuid[], '12:30 :notAName', "col:x" -- see :later
    from t where x = :x`;
  expect(bindSql(text, { ids: [], x: 1 })).toEqual({
    text: `select $1::uuid[], '12:30 :notAName', "col:x" -- see :later
    from t where x = $2`,
    values: [[], 1],
  });
});

test("a missing or an unused value fails, and so does a numbered parameter", () => {
  expect(() => bindSql("select :a", {})).toThrow(/:a has no value/);
  expect(() => bindSql("select :a", { a: 1, b: 2 })).toThrow(
    /:b is not in the statement/,
  );
  expect(() => bindSql("select $1, :a", { a: 1 })).toThrow(/numbered/);
});

test("null and undefined values are passed on as given", () => {
  expect(bindSql("select :a, :b", { a: null, b: undefined }).values).toEqual([
    null,
    undefined,
  ]);
});

test("runSql sends the bound text and values", async () => {
  const seen: unknown[] = [];
  const q: Queryable = {
    query: (text, values) => {
      seen.push(text, values);
      return Promise.resolve({ rows: [], rowCount: 0 });
    },
    exec: () => Promise.resolve(),
  };
  await runSql(q, "delete from t where id = :id", { id: "a" });
  expect(seen).toEqual(["delete from t where id = $1", ["a"]]);
});
