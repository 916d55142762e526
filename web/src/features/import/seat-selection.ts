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

export function selectFirst(
  rows: readonly Selectable[],
  n: number,
): Set<number> {
  return new Set(eligibleIndexes(rows).slice(0, Math.max(0, n)));
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
