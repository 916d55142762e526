// Sums every suite of `npm test` into one line: `N passed, N failed[, N skipped]`.
// Input: the steps file written by scripts/test.sh (name, kind, exit code, JSON report per line).
// Checks (lint, typecheck, format) count as one test each. A suite that failed without reporting a
// failed test (a crash, a file that does not import, a web server that never came up) counts as one
// failed test, so a broken suite can never look green.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

type Json = Record<string, unknown>;

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

/** Node's test runner, TAP reporter: the `# pass N` / `# fail N` / `# skipped N` trailer. */
export function countTap(tap: string): Counts {
  const field = (name: string) =>
    Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  return {
    passed: field("pass"),
    failed: field("fail") + field("cancelled"),
    skipped: field("skipped") + field("todo"),
  };
}

export interface Step {
  name: string;
  kind: string;
  exitCode: number;
  report: string;
}

function readReport(file: string): string | undefined {
  if (!file || !existsSync(file)) return undefined;
  return readFileSync(file, "utf8");
}

function parseJson(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Counts of one step; `report` is the text of its report file, if it wrote one. */
export function countStep(
  kind: string,
  exitCode: number,
  report: string | undefined,
): Counts {
  if (kind === "skipped") return { passed: 0, failed: 0, skipped: 0 };
  let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  const json = parseJson(report);
  if (kind === "check")
    counts =
      exitCode === 0
        ? { passed: 1, failed: 0, skipped: 0 }
        : { passed: 0, failed: 1, skipped: 0 };
  else if (kind === "vitest" && json) counts = countVitest(json);
  else if (kind === "playwright" && json) counts = countPlaywright(json);
  else if (kind === "node-test" && report !== undefined)
    counts = countTap(report);
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

export function parseSteps(text: string): Step[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [name = "?", kind = "", code = "1", report = ""] = line.split("\t");
      return { name, kind, exitCode: Number(code), report };
    });
}

/** The summary lines for steps whose reports are read by `read` (a file reader by default). */
export function summarise(
  steps: Step[],
  read: (file: string) => string | undefined = readReport,
): { lines: string[]; failed: number } {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failedSteps: string[] = [];
  for (const step of steps) {
    const counts = countStep(step.kind, step.exitCode, read(step.report));
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    if (counts.failed > 0) failedSteps.push(`${step.name} (${counts.failed})`);
  }
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
  const lines = [
    ...(failedSteps.length > 0 ? [`failed: ${failedSteps.join(", ")}`] : []),
    `${total.passed} passed, ${total.failed} failed${skipped}`,
  ];
  return { lines, failed: total.failed };
}

// CLI: `tsx scripts/summarise-results.ts <steps.tsv>`; exits 1 when anything failed.
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const stepsFile = process.argv[2] ?? "";
  const { lines, failed } = summarise(
    parseSteps(readFileSync(stepsFile, "utf8")),
  );
  for (const line of lines) console.log(line);
  process.exitCode = failed > 0 ? 1 : 0;
}
