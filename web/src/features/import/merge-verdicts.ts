// Combines the browser's own checks (schema + duplicates in file) with the server's dry-run verdicts.
// The local verdict wins for invalid/duplicate rows so the reason shown is the most specific one.
import type { PreviewResult, Verdict, VerdictGroup } from "@app/bff/contract";
import type { PreviewRow } from "./preview-table.tsx";
import type { RowChecks } from "./row-checks.ts";

export function mergeVerdicts(
  checks: RowChecks,
  result: PreviewResult | undefined,
): PreviewRow[] {
  // The server answers in groups of row ranges (1-based, of what was sent); a row in none is
  // "ready". Index the groups by row, without an object per row.
  const server = new Array<VerdictGroup | undefined>(checks.length);
  for (const group of result?.groups ?? [])
    for (const [first, last] of group.rows)
      for (
        let row = Math.max(1, first);
        row <= Math.min(last, checks.length);
        row += 1
      )
        server[row - 1] = group;
  const rows = new Array<PreviewRow>(checks.length);
  for (let index = 0; index < checks.length; index += 1) {
    const remote = server[index];
    const own = checks.verdict(index);
    const local = own !== "ready";
    rows[index] = new MergedRow(
      checks,
      index,
      local ? own : (remote?.verdict ?? "ready"),
      local ? checks.reason(index) : remote?.reason,
    );
  }
  return rows;
}

/**
 * A PreviewRow whose email, name and role are read from the checks' columns when asked: the table
 * shows ~20 rows at a time, so 100,000 rows cost 100,000 small objects, not 400,000 strings.
 */
class MergedRow implements PreviewRow {
  readonly index: number;
  readonly row: number;
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly #checks: RowChecks;
  constructor(
    checks: RowChecks,
    index: number,
    verdict: Verdict,
    reason: string | undefined,
  ) {
    this.#checks = checks;
    this.index = index;
    this.row = checks.row(index);
    this.verdict = verdict;
    if (reason !== undefined) this.reason = reason;
  }
  get email(): string {
    return this.#checks.email(this.index) ?? "";
  }
  get name(): string {
    const givenName = this.#checks.value(this.index, 1);
    const familyName = this.#checks.value(this.index, 2);
    return givenName && familyName
      ? `${givenName} ${familyName}`
      : givenName || familyName || "";
  }
  get role(): string {
    return this.#checks.role(this.index) ?? "member";
  }
}

export function countVerdicts(
  rows: readonly PreviewRow[],
): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const r of rows) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return counts;
}
