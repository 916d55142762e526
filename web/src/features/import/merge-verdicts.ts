// Combines the browser's own checks (schema + duplicates in file) with the server's dry-run verdicts.
// The local verdict wins for invalid/duplicate rows so the reason shown is the most specific one.
import type { PreviewResult, Verdict } from "@app/bff/contract";
import type { PreviewRow } from "./preview-table.tsx";
import type { RowCheck } from "./validate-rows.ts";

export function mergeVerdicts(
  checks: readonly RowCheck[],
  result: PreviewResult | undefined,
): PreviewRow[] {
  const server = new Map(result?.rows.map((r) => [r.row - 1, r]) ?? []);
  return checks.map((check, index) => {
    const remote = server.get(index);
    const local = check.verdict !== "ready";
    const verdict: Verdict = local
      ? check.verdict
      : (remote?.verdict ?? "ready");
    const name = [check.input.givenName, check.input.familyName]
      .filter(Boolean)
      .join(" ");
    return {
      index,
      row: check.row,
      email: check.input.email ?? "",
      name,
      verdict,
      reason: local ? check.reason : remote?.reason,
    };
  });
}

export function countVerdicts(
  rows: readonly PreviewRow[],
): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const r of rows) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return counts;
}
