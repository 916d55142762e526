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
  test("nothing failed and every user inserted or updated: no call", () => {
    expect(
      needsErrorList({
        summary: { failed: 0, updated: 0, inserted: 5, total: 5 },
      }),
    ).toBe(false);
    expect(
      needsErrorList({
        summary: { failed: 0, updated: 2, inserted: 3, total: 5 },
      }),
    ).toBe(false);
  });
  test("a failure, or counts that do not add up: read the errors", () => {
    expect(
      needsErrorList({
        summary: { failed: 1, updated: 0, inserted: 4, total: 5 },
      }),
    ).toBe(true);
    expect(
      needsErrorList({
        summary: { failed: 0, updated: 0, inserted: 4, total: 5 },
      }),
    ).toBe(true);
  });
});
