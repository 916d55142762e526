// The zod-free body validators of the preview and the import (row-bodies.ts) answer exactly what
// the routes' zod schemas answer: the same value for a valid body (rows normalised as PersonRow
// outputs them) and the same issues (paths, codes, messages, parameters) for an invalid one.
import { validatorCompiler } from "fastify-type-provider-zod";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { CreateImportInput, MAX_ROWS, PreviewInput } from "./contract.ts";
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

describe("POST …/invitations/preview body (PreviewInput)", () => {
  const check = both(previewBodyCompiler, PreviewInput);

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
      for (const field of [
        "email",
        "givenName",
        "familyName",
        "role",
        "locale",
        "nick",
      ])
        check({ rows: [{ email: "a@acme.test" }, { [field]: v }] });
    for (const bad of [
      null,
      {},
      { rows: [] },
      { rows: [{}], x: 1 },
      { rows: [null] },
    ])
      check(bad);
  });
});
