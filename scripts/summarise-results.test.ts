// Run by scripts/test.sh with Node's test runner (`tsx --test`); its test() returns a promise the
// runner awaits itself, hence `void`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countStep, parseSteps, summarise } from "./summarise-results.ts";

const vitestReport = (
  passed: number,
  failed: number,
  skipped = 0,
  brokenFiles = 0,
) =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: skipped,
    numTodoTests: 0,
    testResults: [
      ...Array.from({ length: brokenFiles }, () => ({
        status: "failed",
        assertionResults: [],
      })),
      {
        status: failed > 0 ? "failed" : "passed",
        assertionResults: [{ status: failed > 0 ? "failed" : "passed" }],
      },
    ],
  });

const playwrightReport = (
  expected: number,
  unexpected: number,
  skipped = 0,
  errors = 0,
) =>
  JSON.stringify({
    stats: { expected, unexpected, flaky: 0, skipped },
    errors: Array.from({ length: errors }, () => ({})),
  });

void describe("countStep", () => {
  void test("counts a passing check as one passed test and a failing one as one failed test", () => {
    assert.deepEqual(countStep("check", 0, undefined), {
      passed: 1,
      failed: 0,
      skipped: 0,
    });
    assert.deepEqual(countStep("check", 2, undefined), {
      passed: 0,
      failed: 1,
      skipped: 0,
    });
  });

  void test("reads passed, failed and skipped tests from a vitest JSON report", () => {
    assert.deepEqual(countStep("vitest", 1, vitestReport(40, 2, 3)), {
      passed: 40,
      failed: 2,
      skipped: 3,
    });
  });

  void test("counts a test file that failed before running any test", () => {
    assert.deepEqual(countStep("vitest", 1, vitestReport(10, 0, 0, 1)), {
      passed: 10,
      failed: 1,
      skipped: 0,
    });
  });

  void test("reads a playwright report, counting global errors such as a web server that never started", () => {
    assert.deepEqual(countStep("playwright", 1, playwrightReport(5, 1, 2)), {
      passed: 5,
      failed: 1,
      skipped: 2,
    });
    assert.deepEqual(countStep("playwright", 1, playwrightReport(2, 1, 0, 1)), {
      passed: 2,
      failed: 2,
      skipped: 0,
    });
  });

  void test("reads the trailer of a TAP report", () => {
    const tap =
      "TAP version 13\nok 1 - a\nnot ok 2 - b\n# tests 3\n# pass 1\n# fail 1\n# skipped 1\n";
    assert.deepEqual(countStep("node-test", 1, tap), {
      passed: 1,
      failed: 1,
      skipped: 1,
    });
  });

  void test("never lets a failing suite look green when its report is missing or unreadable", () => {
    assert.deepEqual(countStep("vitest", 1, undefined), {
      passed: 0,
      failed: 1,
      skipped: 0,
    });
    assert.deepEqual(countStep("playwright", 1, "{not json"), {
      passed: 0,
      failed: 1,
      skipped: 0,
    });
    assert.deepEqual(countStep("vitest", 1, vitestReport(12, 0)), {
      passed: 12,
      failed: 1,
      skipped: 0,
    });
  });

  void test("ignores a step recorded as skipped", () => {
    assert.deepEqual(countStep("skipped", 0, undefined), {
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });
});

void describe("summarise", () => {
  void test("sums every step into one line and names the failing steps above it", () => {
    const reports: Record<string, string> = {
      "web.json": vitestReport(20, 1, 2),
      "e2e.json": playwrightReport(3, 0),
    };
    const steps = parseSteps(
      "lint\tcheck\t0\t\ntypecheck\tcheck\t1\t\nweb tests\tvitest\t1\tweb.json\ne2e\tplaywright\t0\te2e.json\n",
    );
    const result = summarise(steps, (file) => reports[file]);
    assert.deepEqual(result.lines, [
      "failed: typecheck (1), web tests (1)",
      "24 passed, 2 failed, 2 skipped",
    ]);
    assert.equal(result.failed, 2);
  });

  void test("leaves out the skipped part and the failure list when there is nothing to say", () => {
    const result = summarise(parseSteps("lint\tcheck\t0\t\n"), () => undefined);
    assert.deepEqual(result.lines, ["1 passed, 0 failed"]);
    assert.equal(result.failed, 0);
  });
});
