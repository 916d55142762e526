// The zod-free body validators of the preview and the import (row-bodies.ts) answer exactly what
// the routes' zod schemas answer: the same value for a valid body (rows normalised as PersonRow
// outputs them) and the same issues (paths, codes, messages, parameters) for an invalid one.
import { validatorCompiler } from "fastify-type-provider-zod";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  CreateImportInput,
  MAX_ROWS,
  PreviewColumns,
  PreviewInput,
  PreviewRows,
} from "./contract.ts";
import { PERSON_ROW_FIELDS } from "../../person-row-checks.ts";
import { importBodyCompiler, previewBodyCompiler } from "./row-bodies.ts";

type Compiler = typeof importBodyCompiler;

function both(compiler: Compiler, schema: z.ZodType) {
  const route = {
    schema,
    method: "POST",
    url: "/x",
    httpPart: "body",
  } as const;
  const fast = compiler(route) as (data: unknown) => unknown;
  const zod = validatorCompiler(route) as (data: unknown) => unknown;
  return (body: unknown) => {
    const expected = zod(structuredClone(body));
    const actual = fast(structuredClone(body));
    expect(actual, JSON.stringify(body).slice(0, 300)).toEqual(expected);
    return actual as { value?: unknown; error?: unknown };
  };
}

const emails = [
  "ada@acme.test",
  " Ada@ACME.test ",
  "\tada@acme.test\n",
  "",
  " ",
  "ada@acme",
  "ada@acme.t1",
  "ada..x@acme.test",
  ".ada@acme.test",
  "o'neil@acme.test",
  "ada'@acme.test",
  "ada@-acme.test",
  "ada@1.2.test",
  "a\u200b@acme.test",
  "a\u0007@acme.test",
  "İ@acme.test",
  "\u00a0ada@acme.test\u00a0",
  "\ufeffada@acme.test",
  "zoë@acme.test",
  `${"a".repeat(250)}@acme.test`,
  `${"a".repeat(240)}@acme.test`,
  "Ada Lovelace <ada@acme.test>",
];
const names = [
  "",
  " ",
  "Ann",
  " Ann ",
  "A\u202eB",
  "x".repeat(151),
  "é".repeat(150),
  " \u0085 ",
];
const roles = ["", " ", "admin", " Admin ", "MEMBER", "owner", "support"];
const locales = [
  "",
  " ",
  "en",
  " fr-CA ",
  "en_GB",
  "e",
  "english!",
  "zh-Hant-TW",
];
const others = [null, 1, true, {}, [], undefined];

describe("POST …/imports body (CreateImportInput)", () => {
  const check = both(importBodyCompiler, CreateImportInput);

  test("valid rows: the same normalised value, changed in place", () => {
    const body = {
      rows: [
        { email: " Ada@ACME.test ", givenName: " Ada ", role: " Admin " },
        { locale: " fr-CA ", email: "bob@acme.test", familyName: "B" },
        { email: "c@acme.test", role: "member", locale: "en" },
      ],
      sourceRows: [2, 3, 5],
    };
    expect(check(body).value).toEqual({
      rows: [
        { email: "ada@acme.test", givenName: "Ada", role: "admin" },
        { email: "bob@acme.test", familyName: "B", locale: "fr-CA" },
        { email: "c@acme.test", role: "member", locale: "en" },
      ],
      sourceRows: [2, 3, 5],
    });
    const fast = importBodyCompiler({
      schema: CreateImportInput,
      method: "POST",
      url: "/x",
      httpPart: "body",
    }) as (data: unknown) => { value?: unknown };
    expect(fast(body).value).toBe(body);
  });

  test("every email, name, role and locale value, alone and after valid rows", () => {
    const rows: Record<string, unknown>[] = [];
    for (const email of [...emails, ...others]) rows.push({ email });
    for (const field of ["givenName", "familyName"])
      for (const v of [...names, ...others])
        rows.push({ email: "ann@acme.test", [field]: v });
    for (const role of [...roles, ...others])
      for (const locale of [...locales, ...others])
        rows.push({ email: " Ann@acme.test", role, locale });
    for (const row of rows) {
      check({ rows: [row] });
      check({
        rows: [{ email: " Ok@Acme.test " }, row, { email: "x@acme.test" }],
      });
      check({ rows: [row, row], sourceRows: [1, 2] });
    }
  });

  test("unknown fields, wrong shapes, counts and sourceRows", () => {
    const ok = { email: "a@acme.test" };
    for (const body of [
      null,
      [],
      "rows",
      {},
      { rows: [] },
      { rows: ok },
      { rows: [ok], nick: 1 },
      { rows: [ok, { ...ok, nick: "b" }] },
      { rows: [ok, { email: "bad", nick: "b" }, null, 7, []] },
      { rows: [ok], sourceRows: [] },
      { rows: [ok], sourceRows: [0] },
      { rows: [ok], sourceRows: [1.5] },
      { rows: [ok], sourceRows: ["1"] },
      { rows: [ok], sourceRows: [2 ** 53] },
      { rows: [ok], sourceRows: null },
      { rows: [ok, { email: "" }], sourceRows: [1] },
      { rows: Array.from({ length: MAX_ROWS + 1 }, () => ok) },
    ])
      check(body);
    expect(check({ rows: [ok, { ...ok, nick: "b" }] }).error).toMatchObject([
      { keyword: "unrecognized_keys", instancePath: "/rows/1" },
    ]);
  });
});

/**
 * The preview's compiler against zod with the schema of the body's shape: PreviewRows when the
 * body has a `rows` field, else PreviewColumns (what previewBodyCompiler promises).
 */
function previewBoth() {
  const route = (schema: z.ZodType) =>
    ({ schema, method: "POST", url: "/x", httpPart: "body" }) as const;
  const fast = previewBodyCompiler(route(PreviewInput)) as (
    data: unknown,
  ) => unknown;
  const rows = validatorCompiler(route(PreviewRows)) as (
    data: unknown,
  ) => unknown;
  const columns = validatorCompiler(route(PreviewColumns)) as (
    data: unknown,
  ) => unknown;
  return (body: unknown) => {
    const hasRows =
      typeof body === "object" &&
      body !== null &&
      !Array.isArray(body) &&
      "rows" in body;
    const expected = (hasRows ? rows : columns)(structuredClone(body));
    const actual = fast(structuredClone(body));
    expect(actual, JSON.stringify(body).slice(0, 300)).toEqual(expected);
    return actual as { value?: unknown; error?: unknown };
  };
}

describe("POST …/invitations/preview body (PreviewInput), rows", () => {
  const check = previewBoth();

  test("loose rows pass as they are, bad shapes get zod's issues", () => {
    const body = {
      rows: [
        { email: " Ada@ACME.test ", givenName: null, role: "" },
        { email: "not an email", locale: "??" },
        {},
      ],
    };
    expect(check(body).value).toEqual(body);
    for (const v of [...others, "x".repeat(2_000), "x".repeat(2_001)])
      for (const field of [...PERSON_ROW_FIELDS, "nick"])
        check({ rows: [{ email: "a@acme.test" }, { [field]: v }] });
    for (const bad of [
      null,
      { rows: [] },
      { rows: [{}], x: 1 },
      { rows: [null] },
      { rows: [{}], email: ["a@acme.test"] },
    ])
      check(bad);
  });
});

describe("POST …/invitations/preview body (PreviewInput), columns", () => {
  const check = previewBoth();

  test("columns pass as they are: nulls, loose values, left-out columns", () => {
    for (const body of [
      { email: ["a@acme.test"] },
      { email: [null, " Ada@ACME.test ", "not an email"] },
      {
        email: ["a@acme.test", null],
        givenName: [null, ""],
        familyName: ["Lovelace", null],
        role: ["Admin", "owner"],
        locale: ["??", "fr-CA"],
      },
      { email: ["x".repeat(2_000)], locale: ["x".repeat(2_000)] },
    ]) {
      const result = check(body);
      expect(result.value).toEqual(body);
    }
    const big = { email: Array.from({ length: MAX_ROWS }, () => "a@b.test") };
    expect(check(big).value).toEqual(big);
  });

  test("every bad cell is zod's issue at its column and row, e.g. /givenName/1", () => {
    for (const v of [...others, "x".repeat(2_001)])
      for (const field of PERSON_ROW_FIELDS) {
        const body = {
          email: ["a@acme.test", "b@acme.test", "c@acme.test"],
          [field]: ["ok", v, "ok"],
        };
        const { error } = check(body);
        if (v === null) continue;
        expect(error, `${field} ${JSON.stringify(v)}`).toMatchObject([
          { instancePath: `/${field}/1` },
        ]);
      }
  });

  test("unknown columns, wrong lengths, counts and shapes", () => {
    for (const body of [
      null,
      [],
      "email",
      {},
      { email: [] },
      { email: "a@acme.test" },
      { email: ["a@acme.test"], nick: ["b"] },
      { email: ["a@acme.test"], nick: ["b"], other: 1 },
      { email: ["a@acme.test", "b@acme.test"], givenName: ["Ada"] },
      { email: ["a@acme.test"], givenName: ["Ada", "Bob"] },
      { email: ["a@acme.test"], givenName: "Ada" },
      { email: ["a@acme.test"], givenName: null },
      { givenName: ["Ada"] },
      { email: Array.from({ length: MAX_ROWS + 1 }, () => "a@b.test") },
    ])
      check(body);
    expect(check({ email: ["a@acme.test"], nick: ["b"] }).error).toMatchObject([
      { keyword: "unrecognized_keys", params: { keys: ["nick"] } },
    ]);
    expect(
      check({ email: ["a@acme.test", "b@acme.test"], givenName: ["Ada"] })
        .error,
    ).toMatchObject([
      {
        instancePath: "/givenName",
        message: "givenName has 1 cells; email has 2 (one per row)",
      },
    ]);
  });
});
