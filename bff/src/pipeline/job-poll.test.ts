// When an import job is polled and whether its error list is read (job-poll.ts).
import { describe, expect, test } from "vitest";
import { firstPollMs, needsErrorList, nextPoll } from "./job-poll.ts";

const o = {
  pollMinMs: 100,
  pollMaxMs: 10_000,
  jobUsersPerSecond: 1_000,
  jobStartMs: 100,
};

describe("firstPollMs", () => {
  test("a small first file is asked about soon, a full file when it can be done", () => {
    expect(firstPollMs(100, o)).toBe(200);
    expect(firstPollMs(2_400, o)).toBe(2_500);
  });
  test("stays within pollMinMs … pollMaxMs", () => {
    expect(firstPollMs(0, { ...o, jobStartMs: 0 })).toBe(100);
    expect(firstPollMs(1_000_000, o)).toBe(10_000);
  });
});

describe("nextPoll", () => {
  test("without Auth0's estimate: the back-off, growing by 1.6 up to pollMaxMs", () => {
    expect(nextPoll({}, 500, o)).toEqual({ waitMs: 500, nextDelayMs: 800 });
    expect(nextPoll({}, 8_000, o)).toEqual({
      waitMs: 8_000,
      nextDelayMs: 10_000,
    });
  });
  test("time_left_seconds shortens the wait, never lengthens it", () => {
    expect(nextPoll({ timeLeftSeconds: 1 }, 4_000, o).waitMs).toBe(1_000);
    expect(nextPoll({ timeLeftSeconds: 30 }, 4_000, o).waitMs).toBe(4_000);
    expect(nextPoll({ timeLeftSeconds: 0 }, 4_000, o).waitMs).toBe(100);
  });
});

describe("needsErrorList", () => {
  test("no summary: read the errors", () => {
    expect(needsErrorList({})).toBe(true);
  });
  // [failed, updated, inserted, total] of the job's summary → whether the error list is read
  test.each([
    ["nothing failed, every user inserted", [0, 0, 5, 5], false],
    ["nothing failed, every user inserted or updated", [0, 2, 3, 5], false],
    ["a failure", [1, 0, 4, 5], true],
    ["counts that do not add up", [0, 0, 4, 5], true],
  ] as const)("%s: %j → %s", (_, [failed, updated, inserted, total], reads) => {
    expect(
      needsErrorList({ summary: { failed, updated, inserted, total } }),
    ).toBe(reads);
  });
});
