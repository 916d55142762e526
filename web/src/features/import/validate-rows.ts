// Maps data rows to the contract's row shape and checks each one with the BFF's own zod schema,
// so the admin sees the same reasons the server would give, before anything is sent. The worker
// runs the zod-free, columnar equivalent in row-checks.ts; this is the reference it is tested
// against (row-checks.test.ts), and toInvitationRow() builds the rows that are sent.
import { PersonRow, type UncheckedPersonRow } from "@app/bff/contract";
import type { ColumnMapping } from "./detect-columns.ts";
import { normaliseRole } from "./role-values.ts";

export type RowCheck = {
  /** spreadsheet row number */
  row: number;
  input: UncheckedPersonRow;
  verdict: "ready" | "invalid" | "duplicate_in_file";
  field?: string;
  reason?: string;
};

export type VerdictOfCheck = RowCheck["verdict"];

export type ValidationSummary = {
  ready: number;
  invalid: number;
  duplicate_in_file: number;
};

function cell(
  cells: readonly string[],
  column: number | undefined,
): string | undefined {
  if (column === undefined) return undefined;
  const value = (cells[column] ?? "").trim();
  return value === "" ? undefined : value;
}

/** "Ada Lovelace <ada@x.test>" and "mailto:ada@x.test" are what people paste from mail clients. */
export function cleanEmail(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  const address = angled?.[1] ?? value;
  return address.replace(/^mailto:/i, "").trim();
}

/** Split "Ada Lovelace" into given and family name when the file has only a full-name column. */
function splitFullName(full: string | undefined): {
  givenName?: string;
  familyName?: string;
} {
  if (full === undefined) return {};
  const parts = full.split(/\s+/);
  const givenName = parts[0];
  const familyName = parts.slice(1).join(" ");
  return { givenName, familyName: familyName === "" ? undefined : familyName };
}

export function projectRow(
  cells: readonly string[],
  mapping: ColumnMapping,
): UncheckedPersonRow {
  let givenName = cell(cells, mapping.givenName);
  let familyName = cell(cells, mapping.familyName);
  if (givenName === undefined && familyName === undefined) {
    ({ givenName, familyName } = splitFullName(cell(cells, mapping.fullName)));
  }
  const row: UncheckedPersonRow = {
    email: cleanEmail(cell(cells, mapping.email)) ?? null,
  };
  if (givenName !== undefined) row.givenName = givenName;
  if (familyName !== undefined) row.familyName = familyName;
  const role = normaliseRole(cell(cells, mapping.role));
  if (role !== undefined) row.role = role;
  const locale = cell(cells, mapping.locale);
  if (locale !== undefined) row.locale = locale;
  return row;
}

/** The loose row without nulls, as the strict schema expects optional fields. */
function strictCandidate(
  row: UncheckedPersonRow,
): Record<string, string | undefined> {
  return {
    email: row.email ?? undefined,
    givenName: row.givenName ?? undefined,
    familyName: row.familyName ?? undefined,
    role: row.role ?? undefined,
    locale: row.locale ?? undefined,
  };
}

export function checkRow(row: number, input: UncheckedPersonRow): RowCheck {
  const result = PersonRow.safeParse(strictCandidate(input));
  if (result.success) return { row, input, verdict: "ready" };
  const issue = result.error.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : "email";
  return {
    row,
    input,
    verdict: "invalid",
    field,
    reason: issue?.message ?? "Invalid value",
  };
}

export function validateRows(
  rows: readonly (readonly string[])[],
  rowNumbers: readonly number[],
  mapping: ColumnMapping,
): { checks: RowCheck[]; summary: ValidationSummary } {
  const firstSeen = new Map<string, number>();
  const summary: ValidationSummary = {
    ready: 0,
    invalid: 0,
    duplicate_in_file: 0,
  };
  const checks = rows.map((cells, index) => {
    const rowNumber = rowNumbers[index] ?? index + 1;
    let check = checkRow(rowNumber, projectRow(cells, mapping));
    if (check.verdict === "ready") {
      const key = (check.input.email ?? "").trim().toLowerCase();
      const earlier = firstSeen.get(key);
      if (earlier === undefined) firstSeen.set(key, rowNumber);
      else
        check = {
          ...check,
          verdict: "duplicate_in_file",
          field: "email",
          reason: `Same email as row ${earlier}`,
        };
    }
    summary[check.verdict] += 1;
    return check;
  });
  return { checks, summary };
}

/** The strict rows the import route takes; only call with rows whose check was "ready". */
export function toInvitationRow(input: UncheckedPersonRow): PersonRow {
  return PersonRow.parse(strictCandidate(input));
}
