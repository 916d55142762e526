import { expect, test } from "vitest";
import { PersonRow } from "../../shared-contract.ts";
import {
  PREVIEW_COLUMNS,
  PreviewResult,
  previewColumnsOf,
  verdictsOf,
  type UncheckedPersonRow,
} from "./contract.ts";
import {
  countDecisions,
  countVerdicts,
  decide,
  groupVerdicts,
  judgeRows,
  type PreviewKnowledge,
} from "./verdicts.ts";

const base: PreviewKnowledge = {
  allowedDomains: ["acme.test"],
  members: new Set(["member@acme.test"]),
  invited: new Set(["invited@acme.test"]),
  otherTenant: new Set(["other@acme.test"]),
  freeSeats: 2,
};

test("gives every kind of verdict, comparing normalised emails", () => {
  const rows = [
    { email: " Ready@ACME.test ", givenName: "Ann" },
    { email: "not-an-email" },
    { email: "ready@acme.test" },
    { email: "MEMBER@acme.test" },
    { email: "invited@acme.test" },
    { email: "other@acme.test" },
    { email: "someone@gmail.test" },
    { email: "two@acme.test" },
    { email: "three@acme.test" },
    { email: "x@acme.test", locale: "not a locale!" },
  ];
  const v = decide(rows, base);
  expect(v.map((r) => r.verdict)).toEqual([
    "ready",
    "invalid",
    "duplicate_in_file",
    "already_member",
    "already_invited",
    "existing_account",
    "domain_not_allowed",
    "ready",
    "over_seat_limit",
    "invalid",
  ]);
  expect(v[0]?.email).toBe("ready@acme.test");
  expect(v[1]).toMatchObject({ field: "email" });
  expect(v[9]).toMatchObject({ field: "locale" });
  expect(countVerdicts(v).ready).toBe(2);
});

test("any domain is fine when the tenant allows all", () => {
  const v = decide([{ email: "a@anything.test" }], {
    ...base,
    allowedDomains: [],
  });
  expect(v[0]?.verdict).toBe("ready");
});

// The zod-free checks (person-row-checks.ts) give the verdict, field and reason that
// PersonRow.safeParse gave here before (the first issue names the field), for loose rows as the
// preview receives them: untrimmed, mixed case, null and "" for absent fields.
test("judges each row as PersonRow.safeParse does", () => {
  const emails = [
    undefined,
    null,
    "",
    "  ",
    " Ada@ACME.test ",
    "ada@acme",
    "ada@acme.t1",
    "ada..x@acme.test",
    ".ada@acme.test",
    "o'neil@acme.test",
    "ada'@acme.test",
    "ada@-acme.test",
    "ada@acme-.test",
    "ada@1.2.test",
    "a\u200b@acme.test",
    "a\u0007@acme.test",
    `${"a".repeat(250)}@acme.test`,
    `${"a".repeat(250)}\u0001@acme.test`,
    "ada lovelace@acme.test",
    "ada@acme.test",
  ];
  const names = [
    undefined,
    null,
    "",
    " ",
    "Ann",
    " Ann ",
    "A\u202eB",
    "x".repeat(151),
    "é".repeat(150),
  ];
  const roles = [
    undefined,
    null,
    "",
    " ",
    "admin",
    " Admin ",
    "MEMBER",
    "owner",
    "support",
  ];
  const locales = [
    undefined,
    null,
    "",
    " ",
    "en",
    " fr-CA ",
    "en_GB",
    "e",
    "english!",
    "zh-Hant-TW",
  ];
  const rows: UncheckedPersonRow[] = [];
  for (const email of emails) rows.push({ email });
  for (const givenName of names)
    for (const familyName of names)
      rows.push({ email: "ann@acme.test", givenName, familyName });
  for (const role of roles)
    for (const locale of locales)
      rows.push({ email: "ann@acme.test", givenName: " ", role, locale });
  for (const role of roles)
    for (const locale of locales)
      rows.push({ email: "ann@acme.test", role, locale });
  const open = {
    ...base,
    allowedDomains: [],
    members: new Set<string>(),
    invited: new Set<string>(),
    otherTenant: new Set<string>(),
    freeSeats: 1e9,
  };
  // The same rows as columns (what the web app sends): the same decisions, row for row.
  const columns = previewColumnsOf(rows);
  expect(Object.keys(columns)).toEqual(PREVIEW_COLUMNS);
  expect(decide(columns, open)).toEqual(decide(rows, open));
  expect(
    decide({ email: columns.email, locale: columns.locale }, open),
  ).toEqual(
    decide(
      rows.map(({ email, locale }) => ({ email, locale })),
      open,
    ),
  );
  rows.forEach((row, i) => {
    const cleaned = Object.fromEntries(
      Object.entries(row).filter(
        ([, v]) => v !== null && v !== undefined && v !== "",
      ),
    );
    const zod = PersonRow.safeParse(cleaned);
    const [ours] = decide([row], open);
    const issue = zod.success ? undefined : zod.error.issues[0];
    expect(
      { verdict: ours?.verdict, field: ours?.field, reason: ours?.reason },
      `row ${i}: ${JSON.stringify(row)}`,
    ).toEqual(
      zod.success
        ? { verdict: "ready", field: undefined, reason: undefined }
        : {
            verdict: "invalid",
            field: String(issue?.path[0] ?? "row"),
            reason: issue?.message,
          },
    );
  });
});

test("the compact answer (groups of row ranges) expands to every row's verdict and reason", () => {
  const rows = Array.from({ length: 5_000 }, (_, i) => ({
    email:
      i % 97 === 0
        ? "bad"
        : i % 131 === 0
          ? "dup@acme.test"
          : i % 61 === 0
            ? `p${i}@gmail.test`
            : `p${i}@acme.test`,
    locale: i % 89 === 0 ? "!" : "en",
  }));
  const k = { ...base, freeSeats: 1_000 };
  const decisions = judgeRows(rows, k);
  const groups = groupVerdicts(decisions);
  const result = PreviewResult.parse({
    total: rows.length,
    groups,
    counts: countDecisions(decisions),
    seats: { limit: 1, used: 0, pending: 0, free: 1 },
  });
  const expanded = verdictsOf(result);
  expect(expanded).toEqual(decide(rows, k).map(({ email: _, ...v }) => v));
  expect(groups.length).toBeLessThan(10);
  expect(countVerdicts(expanded)).toEqual(result.counts);
  expect(() =>
    verdictsOf({
      total: 2,
      groups: [{ verdict: "invalid", reason: "x", rows: [[2, 3]] }],
    }),
  ).toThrow();
});
