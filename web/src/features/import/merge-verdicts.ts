// Combines the browser's own checks (schema + duplicates in file) with the server's dry-run verdicts.
// The local verdict wins for invalid/duplicate rows so the reason shown is the most specific one.
import type { PreviewResult, Verdict } from "@app/bff/contract";
import type { PreviewRow } from "./preview-table.tsx";
import type { RowChecks } from "./row-checks.ts";

export function mergeVerdicts(
  checks: RowChecks,
  result: PreviewResult | undefined,
): PreviewRow[] {
  // The server answers row n (1-based) of what was sent, normally in order: index it by row.
  const server = new Array<PreviewResult["rows"][number] | undefined>(
    checks.length,
  );
  for (const r of result?.rows ?? [])
    if (r.row >= 1 && r.row <= checks.length) server[r.row - 1] = r;
  const rows = new Array<PreviewRow>(checks.length);
  for (let index = 0; index < checks.length; index += 1) {
    const remote = server[index];
    const own = checks.verdict(index);
    const local = own !== "ready";
    const verdict: Verdict = local ? own : (remote?.verdict ?? "ready");
    const givenName = checks.value(index, 1);
    const familyName = checks.value(index, 2);
    const name =
      givenName && familyName
        ? `${givenName} ${familyName}`
        : givenName || familyName || "";
    rows[index] = {
      index,
      row: checks.row(index),
      email: checks.email(index) ?? "",
      name,
      role: checks.role(index) ?? "member",
      verdict,
      reason: local ? checks.reason(index) : remote?.reason,
    };
  }
  return rows;
}

export function countVerdicts(
  rows: readonly PreviewRow[],
): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const r of rows) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return counts;
}
