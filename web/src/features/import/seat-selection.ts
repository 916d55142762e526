// Which rows take the free seats. Rows the server marked ready or over_seat_limit are eligible;
// the admin picks at most `free` of them (the first ones by default).
import type { Verdict } from "@app/bff/contract";

export const ELIGIBLE: ReadonlySet<Verdict> = new Set<Verdict>([
  "ready",
  "over_seat_limit",
]);

export type Selectable = { index: number; verdict: Verdict };

export function eligibleIndexes(rows: readonly Selectable[]): number[] {
  return rows.filter((r) => ELIGIBLE.has(r.verdict)).map((r) => r.index);
}

/** The first `n` eligible rows; stops there (a 100,000-row file into 50 seats reads ~50 rows). */
export function selectFirst(
  rows: readonly Selectable[],
  n: number,
): Set<number> {
  const chosen = new Set<number>();
  for (const r of rows) {
    if (chosen.size >= n) break;
    if (ELIGIBLE.has(r.verdict)) chosen.add(r.index);
  }
  return chosen;
}

/** Toggle one row; adding is refused when every free seat is already taken. */
export function toggle(
  selection: ReadonlySet<number>,
  index: number,
  free: number,
): Set<number> {
  const next = new Set(selection);
  if (next.has(index)) next.delete(index);
  else if (next.size < free) next.add(index);
  return next;
}
