import { describe, expect, test } from "vitest";
import {
  eligibleIndexes,
  selectFirst,
  toggle,
  type Selectable,
} from "./seat-selection.ts";

const rows: Selectable[] = [
  { index: 0, verdict: "ready" },
  { index: 1, verdict: "invalid" },
  { index: 2, verdict: "over_seat_limit" },
  { index: 3, verdict: "already_member" },
  { index: 4, verdict: "over_seat_limit" },
];

describe("choosing which rows take the free seats", () => {
  test("only ready and over-the-limit rows can take a seat", () => {
    expect(eligibleIndexes(rows)).toEqual([0, 2, 4]);
  });

  test("selects the first N eligible rows", () => {
    expect([...selectFirst(rows, 2)]).toEqual([0, 2]);
    expect([...selectFirst(rows, 10)]).toEqual([0, 2, 4]);
    expect(selectFirst(rows, -1).size).toBe(0);
  });

  test("refuses to select more rows than there are free seats, but always allows unselecting", () => {
    const full = new Set([0, 2]);
    expect([...toggle(full, 4, 2)]).toEqual([0, 2]);
    expect([...toggle(full, 0, 2)]).toEqual([2]);
    expect([...toggle(new Set([2]), 4, 2)]).toEqual([2, 4]);
  });
});
