import { describe, expect, test } from "vitest";
import { fixture } from "./fixtures.ts";
import { parseCsvText } from "./parse-csv-text.ts";
import {
  cleanEmail,
  projectRow,
  toInvitationRow,
  validateRows,
} from "./validate-rows.ts";

function checksOf(name: string) {
  const analysis = parseCsvText(fixture(name));
  return validateRows(
    analysis.rows,
    analysis.rowNumbers,
    analysis.detection.mapping,
  );
}

describe("validating rows with the shared contract", () => {
  test("flags each problem row with the field and a reason", () => {
    const { checks, summary } = checksOf("problems.csv");
    const byRow = new Map(checks.map((c) => [c.row, c]));
    expect(byRow.get(2)?.verdict).toBe("ready");
    expect(byRow.get(3)).toMatchObject({
      verdict: "invalid",
      field: "email",
      reason: "Not a valid email address",
    });
    expect(byRow.get(4)).toMatchObject({
      verdict: "invalid",
      field: "email",
      reason: "Email is required",
    });
    expect(byRow.get(5)).toMatchObject({
      verdict: "duplicate_in_file",
      field: "email",
      reason: "Same email as row 2",
    });
    expect(byRow.get(6)).toMatchObject({
      verdict: "invalid",
      field: "givenName",
      reason: "Longer than 150 characters",
    });
    expect(byRow.get(7)).toMatchObject({
      verdict: "invalid",
      field: "givenName",
    });
    expect(byRow.get(7)?.reason).toMatch(/control or invisible/);
    expect(byRow.get(8)).toMatchObject({
      verdict: "invalid",
      field: "givenName",
    });
    expect(byRow.get(9)).toMatchObject({
      verdict: "ready",
      input: { email: "bob@acme.test" },
    });
    expect(summary).toEqual({ ready: 2, invalid: 5, duplicate_in_file: 1 });
  });

  test("treats the same address in different case as a duplicate", () => {
    const { checks } = validateRows([["A@x.test"], ["a@X.test "]], [2, 3], {
      email: 0,
    });
    expect(checks.map((c) => c.verdict)).toEqual([
      "ready",
      "duplicate_in_file",
    ]);
  });

  test("extracts the address from display-name and mailto forms", () => {
    expect(cleanEmail("Bob Builder <bob@acme.test>")).toBe("bob@acme.test");
    expect(cleanEmail("mailto:bob@acme.test")).toBe("bob@acme.test");
  });

  test("leaves blank optional cells out and splits a full name when there are no name columns", () => {
    expect(
      projectRow(["a@b.test", "", "Ada King Lovelace"], {
        email: 0,
        givenName: 1,
        fullName: 2,
      }),
    ).toEqual({
      email: "a@b.test",
      givenName: "Ada",
      familyName: "King Lovelace",
    });
  });

  test("produces the strict import rows: lower-cased email, trimmed names", () => {
    expect(
      toInvitationRow({ email: " ADA@Acme.Test ", givenName: " Ada " }),
    ).toEqual({
      email: "ada@acme.test",
      givenName: "Ada",
    });
  });
});
