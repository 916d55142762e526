// Sums every suite of `npm test` into one line: `N passed, N failed[, N skipped]`.
// Input: the steps file written by scripts/test.sh (name, kind, exit code, JSON report per line).
// Checks (lint, typecheck, format) count as one test each. A suite that failed without reporting a
// failed test (a crash, a file that does not import, a web server that never came up) counts as one
// failed test, so a broken suite can never look green.
import { existsSync, readFileSync } from "node:fs";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

type Json = Record<string, unknown>;

function readJson(file: string): Json | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof value === "object" && value !== null
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function list(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((v): v is Json => typeof v === "object" && v !== null)
    : [];
}

/** Vitest's JSON reporter (jest-compatible shape). */
export function countVitest(report: Json): Counts {
  // Test files that failed before any test ran (syntax error, failing import) have no failed assertion.
  const brokenFiles = list(report.testResults).filter(
    (file) =>
      file.status === "failed" &&
      !list(file.assertionResults).some((a) => a.status === "failed"),
  ).length;
  return {
    passed: num(report.numPassedTests),
    failed: num(report.numFailedTests) + brokenFiles,
    skipped: num(report.numPendingTests) + num(report.numTodoTests),
  };
}

/** Playwright's JSON reporter. */
export function countPlaywright(report: Json): Counts {
  const stats =
    typeof report.stats === "object" && report.stats !== null
      ? (report.stats as Json)
      : {};
  return {
    passed: num(stats.expected) + num(stats.flaky),
    failed: num(stats.unexpected) + list(report.errors).length,
    skipped: num(stats.skipped),
  };
}

export function countStep(
  kind: string,
  exitCode: number,
  report: Json | undefined,
): Counts {
  let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (kind === "check")
    counts =
      exitCode === 0
        ? { passed: 1, failed: 0, skipped: 0 }
        : { passed: 0, failed: 1, skipped: 0 };
  else if (kind === "vitest" && report) counts = countVitest(report);
  else if (kind === "playwright" && report) counts = countPlaywright(report);
  else if (kind === "skipped") return counts;
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

function main(stepsFile: string): number {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failedSteps: string[] = [];
  for (const line of readFileSync(stepsFile, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const [name = "?", kind = "", code = "1", file = ""] = line.split("\t");
    const counts = countStep(kind, Number(code), readJson(file));
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    if (counts.failed > 0) failedSteps.push(`${name} (${counts.failed})`);
  }
  if (failedSteps.length > 0) console.log(`failed: ${failedSteps.join(", ")}`);
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
  console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
  return total.failed > 0 ? 1 : 0;
}

const stepsFile = process.argv[2];
if (stepsFile) process.exitCode = main(stepsFile);
