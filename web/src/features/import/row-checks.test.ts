// @vitest-environment node
// The worker's zod-free, columnar checks (row-checks.ts) judge exactly as the zod reference
// (validate-rows.ts): same verdict, field, reason and input for every row.
import { describe, expect, test } from "vitest";
import { generateHrCsv } from "../../../../e2e/bench/generate-csv.ts";
import type { ColumnMapping } from "./detect-columns.ts";
import { fixture, rowsOfColumns } from "./fixtures.ts";
import { parseCsvText } from "./parse-csv-text.ts";
import { PreviewColumns } from "@app/bff/contract";
import {
  isZodEmail,
  previewBody,
  previewColumns,
  RowChecks,
} from "./row-checks.ts";
import { validateRows } from "./validate-rows.ts";
import { z } from "zod";

const FIXTURES = Object.keys(
  import.meta.glob("./fixtures/*", { query: "?raw", import: "default" }),
).map((path) => path.replace("./fixtures/", ""));

function expectSameAsZod(
  rows: readonly (readonly string[])[],
  rowNumbers: readonly number[],
  mapping: ColumnMapping,
) {
  const old = validateRows(rows, rowNumbers, mapping);
  const fresh = RowChecks.of(rows, rowNumbers, mapping);
  expect(fresh.summary).toEqual(old.summary);
  expect(fresh.checks.length).toBe(old.checks.length);
  // Row by row, then one toEqual on what differs, so a 100,000-row file stays quick.
  const differing = old.checks.flatMap((check, i) => {
    const other = fresh.checks.at(i);
    return JSON.stringify(other) === JSON.stringify(check)
      ? []
      : [{ zod: check, columns: other }];
  });
  expect(differing.slice(0, 5)).toEqual([]);
  return old;
}

const tricky = [
  "",
  " ",
  "a@b.co",
  "A@B.CO",
  " Ada@Acme.Test ",
  "ada@acme",
  "ada@acme.t",
  "ada@acme.t1",
  "ada@-acme.test",
  "ada@acme-.test",
  "ada@acme..test",
  "ada@.acme.test",
  "ada@acme.test.",
  "ada@acme_x.test",
  "ada@sub.acme.test",
  "ada@1.2.test",
  ".ada@acme.test",
  "ada.@acme.test",
  "ada..lovelace@acme.test",
  "a.d.a@acme.test",
  "o'neil@acme.test",
  "ada'@acme.test",
  "'@acme.test",
  "a'.b@acme.test",
  "a.'b@acme.test",
  "+@acme.test",
  "-@acme.test",
  "_@acme.test",
  "a+tag@acme.test",
  "a@b@acme.test",
  "@acme.test",
  "ada@",
  "ada",
  "zoë@acme.test",
  "ada@acmé.test",
  "İ@acme.test",
  "ada@acme.test\u200b",
  "ada\u0000@acme.test",
  "ada@acme.test\t",
  "\u00a0ada@acme.test\u00a0",
  "\ufeffada@acme.test",
  "Ada Lovelace <ada@acme.test>",
  "<ada@acme.test>",
  "Ada <ada@acme>",
  "mailto:ada@acme.test",
  "MAILTO:ada@acme.test",
  "mailto:",
  "mail:ada@acme.test",
  "Mia <mailto:mia@acme.test>",
  `${"a".repeat(245)}@acme.test`,
  `${"a".repeat(250)}@acme.test`,
  "a b@acme.test",
  "ada@acme.test;bob@acme.test",
];
const names = [
  "",
  "Ada",
  " Ada ",
  "Zoë",
  "x".repeat(150),
  "x".repeat(151),
  "A\u200bda",
  "Ada\u0007",
  "Ada King Lovelace",
  "\u00a0",
  "Ada\u2066",
];
const roles = [
  "",
  "admin",
  "member",
  "ADMIN",
  " Member ",
  "Administrator",
  "owner",
  "User",
  "Co-Admin",
  "admin\u200b",
  "\u00a0admin\u00a0",
  "İ",
  "Team Lead_2",
  "r&d",
  "x".repeat(51),
  "dev-ops",
  "guest",
];
const locales = [
  "",
  "en",
  "fr-CA",
  "fr_ca",
  "e",
  "engl",
  "zh-Hant-TW",
  "en-",
  "en-a",
  "en-abcdefghi",
  "de DE",
];

describe("the worker's checks judge exactly as the contract's zod schema", () => {
  for (const name of FIXTURES)
    test(`fixture ${name}`, () => {
      const analysis = parseCsvText(fixture(name));
      expectSameAsZod(
        analysis.rows,
        analysis.rowNumbers,
        analysis.detection.mapping,
      );
    });

  test("a generated 100,000-row file", () => {
    const analysis = parseCsvText(generateHrCsv(100_000));
    const { summary } = expectSameAsZod(
      analysis.rows,
      analysis.rowNumbers,
      analysis.detection.mapping,
    );
    expect(summary).toEqual({
      ready: 99_700,
      invalid: 200,
      duplicate_in_file: 100,
    });
  });

  test("tricky emails, names, roles and locales, one field at a time and combined", () => {
    const mapping = {
      email: 0,
      givenName: 1,
      familyName: 2,
      role: 3,
      locale: 4,
    };
    const rows: string[][] = [];
    for (const email of tricky) rows.push([email, "Ada", "", "", ""]);
    for (const name of names) {
      rows.push(["a@acme.test", name, "", "", ""]);
      rows.push(["a@acme.test", "", name, "", ""]);
      rows.push(["", name, name, "", ""]);
    }
    for (const role of roles) rows.push(["b@acme.test", "", "", role, ""]);
    for (const locale of locales)
      rows.push(["c@acme.test", "", "", "", locale]);
    for (const role of roles)
      for (const locale of locales)
        rows.push(["d@acme.test", "x".repeat(151), "", role, locale]);
    expectSameAsZod(
      rows,
      rows.map((_, i) => i + 2),
      mapping,
    );
    // Unmapped fields and a full-name column.
    expectSameAsZod(
      names.map((n) => ["e@acme.test", n]),
      names.map((_, i) => i + 2),
      { email: 0, fullName: 1 },
    );
    expectSameAsZod([["x"], [""]], [2, 3], {});
  });

  test("the email scan accepts exactly what z.email() accepts (the contract's Email pipes into it)", () => {
    const alphabet = ["a", "Z", "0", ".", "-", "_", "'", "+", "@", "é", " "];
    const values = new Set<string>(tricky.map((t) => t.trim().toLowerCase()));
    // Every string of up to 4 characters around a fixed tail covers each rule's edges.
    const grow = (prefix: string, depth: number) => {
      if (depth === 0) return;
      for (const c of alphabet) {
        const value = prefix + c;
        values.add(value);
        values.add(`${value}@acme.test`);
        values.add(`ada@${value}.test`);
        values.add(`ada@acme.${value}`);
        grow(value, depth - 1);
      }
    };
    grow("", 4);
    // The scan runs on the trimmed, lower-cased address (Email trims and lower-cases first).
    const email = z.email();
    const disagreements = [...values]
      .filter((value) => value === value.trim().toLowerCase())
      .filter((value) => email.safeParse(value).success !== isZodEmail(value));
    expect(values.size).toBeGreaterThan(50_000);
    expect(disagreements).toEqual([]);
  });
});

describe("the preview's request body (previewColumns, previewBody)", () => {
  test("every fixture: the columns hold exactly the rows the checks send, and the contract accepts them", () => {
    for (const name of FIXTURES) {
      const analysis = parseCsvText(fixture(name));
      const { checks } = RowChecks.of(
        analysis.rows,
        analysis.rowNumbers,
        analysis.detection.mapping,
      );
      const body = PreviewColumns.parse(
        JSON.parse(previewBody(checks.columns)),
      );
      expect(body, name).toEqual(previewColumns(checks.columns));
      expect(rowsOfColumns(body), name).toEqual(checks.inputs());
    }
  });

  test("a cell without a value is null, a column no row fills is left out, any text survives JSON", () => {
    const { checks } = RowChecks.of(
      [
        ["zoë@acme.test", "Zoë", ""],
        ["", "", ""],
        ["li@acme.test", "", "Admin"],
        ['"q"@acme.test', "名字", "member"],
      ],
      [2, 3, 4, 5],
      { email: 0, givenName: 1, role: 2 },
    );
    const body = JSON.parse(previewBody(checks.columns)) as unknown;
    expect(body).toEqual({
      email: ["zoë@acme.test", null, "li@acme.test", '"q"@acme.test'],
      givenName: ["Zoë", null, null, "名字"],
      role: [null, null, "admin", "member"],
    });
    expect(PreviewColumns.safeParse(body).success).toBe(true);
  });

  test("the generated 100,000-row file: one cell per row in each column, half the bytes of row objects", () => {
    const analysis = parseCsvText(generateHrCsv(100_000));
    const { checks } = RowChecks.of(
      analysis.rows,
      analysis.rowNumbers,
      analysis.detection.mapping,
    );
    const body = previewColumns(checks.columns);
    for (const column of Object.values(body))
      expect(column).toHaveLength(100_000);
    expect(rowsOfColumns(body)).toEqual(checks.inputs());
    const columnar = new TextEncoder().encode(
      previewBody(checks.columns),
    ).byteLength;
    const objects = new TextEncoder().encode(
      JSON.stringify({ rows: checks.inputs() }),
    ).byteLength;
    expect(columnar).toBeLessThan(objects * 0.7);
  });
});
