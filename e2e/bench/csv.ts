// `pnpm bench:csv`: Guestlist's CSV worker (parse + normalise + detect + validate) against bare
// papaparse on the same generated HR file in Debian Chromium, with the longest main-thread task;
// then the whole browser path in the real SPA against a real BFF and Auth0 emulator
// (browser-path.ts; BENCH_PATH=0 skips it). Prints Markdown tables (medians of RUNS runs);
// docs/benchmarks.md quotes them by hand.
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { chromium } from "@playwright/test";
import { REPO_ROOT } from "../support/ports.ts";
import { expectedProblems, generateHrCsv } from "./generate-csv.ts";
import type { BenchApi, Measurement, Mode } from "./page/types.ts";
import {
  measurePath,
  openImportPage,
  startStack,
  type PathMeasurement,
} from "./browser-path.ts";
import { buildPage, servePage } from "./serve-page.ts";

const SIZES = [10_000, 100_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MODES: Mode[] = [
  "guestlist-worker",
  "papaparse-worker",
  "papaparse-main",
];
const OUT_DIR = resolve(REPO_ROOT, ".data", "bench-csv-page");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const kb = (bytes: number) =>
  `${Math.round(bytes / 1000).toLocaleString("en")} kB`;
const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;

console.log("bench:csv: building the bench page with Vite");
await buildPage(OUT_DIR);
const files = new Map(
  SIZES.map((rows) => [`/data/${rows}.csv`, Buffer.from(generateHrCsv(rows))]),
);
const server = await servePage(OUT_DIR, files);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--js-flags=--expose-gc",
  ],
});

const table: string[] = [];
const pathTable: string[] = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(server.url);
  await page.waitForFunction(() => "bench" in window);
  const supported = await page.evaluate(
    () => (window as unknown as { bench: BenchApi }).bench.longTasksSupported,
  );
  if (!supported) throw new Error("This Chromium reports no longtask entries.");

  const load = (url: string) =>
    page.evaluate(
      (u) => (window as unknown as { bench: BenchApi }).bench.load(u),
      url,
    );
  const run = (mode: Mode) =>
    page.evaluate(
      (m) => (window as unknown as { bench: BenchApi }).bench.run(m),
      mode,
    );

  // Warm-up on the small file: worker scripts fetched and compiled once, as in a real session.
  await load(`/data/${SIZES[0] ?? 10_000}.csv`);
  for (const mode of MODES) await run(mode);

  for (const rows of SIZES) {
    const bytes = await load(`/data/${rows}.csv`);
    const results = new Map<Mode, Measurement[]>(MODES.map((m) => [m, []]));
    for (let i = 0; i < RUNS; i += 1)
      for (const mode of MODES) {
        const result = await run(mode);
        if (result.rows !== rows)
          throw new Error(`${mode} saw ${result.rows} rows, expected ${rows}`);
        results.get(mode)?.push(result);
        console.log(
          `  ${rows} rows, run ${i + 1}, ${mode}: ${ms(result.ms)}, longest task ${ms(result.longestTaskMs)}${result.parsedMs === undefined ? "" : ` (parsed after ${ms(result.parsedMs)})`}`,
        );
      }
    const of = (mode: Mode, pick: (m: Measurement) => number) =>
      median((results.get(mode) ?? []).map(pick));
    const summary = results.get("guestlist-worker")?.[0]?.summary;
    const expected = expectedProblems(rows);
    if (
      summary?.invalid !== expected.invalid ||
      summary.duplicate_in_file !== expected.duplicates
    )
      throw new Error(
        `unexpected validation result ${JSON.stringify(summary)}`,
      );
    const guestlist = of("guestlist-worker", (m) => m.ms);
    const papaWorker = of("papaparse-worker", (m) => m.ms);
    table.push(
      `| ${rows.toLocaleString("en")} | ${(bytes / 1_048_576).toFixed(1)} MB | ${ms(guestlist)} | ${ms(papaWorker)} | ${(guestlist / papaWorker).toFixed(1)}× | ${ms(of("guestlist-worker", (m) => m.longestTaskMs))} | ${ms(of("papaparse-main", (m) => m.ms))} | ${ms(of("papaparse-main", (m) => m.longestTaskMs))} |`,
    );
    console.log(
      `  validation: ${summary.ready} ready, ${summary.invalid} invalid, ${summary.duplicate_in_file} duplicates (as generated)`,
    );
  }

  if (process.env.BENCH_PATH !== "0") {
    const stack = await startStack();
    try {
      const app = await openImportPage(browser, stack.appUrl);
      const small = files.get(`/data/${SIZES[0]}.csv`) ?? Buffer.from("");
      await measurePath(app, "warm-up.csv", small);
      for (const rows of SIZES) {
        const csv = files.get(`/data/${rows}.csv`) ?? Buffer.from("");
        const runs: PathMeasurement[] = [];
        for (let i = 0; i < RUNS; i += 1) {
          const m = await measurePath(app, `people-${rows}.csv`, csv);
          console.log(
            `  whole path, ${rows} rows, run ${i + 1}: ${ms(m.ms)} (preview request sent after ${ms(m.requestMs)}, answered in ${ms(m.serverMs)}, answer ${kb(m.answerBytes)}), longest task ${ms(m.longestTaskMs)}${m.longTasks === "" ? "" : ` (long tasks: ${m.longTasks})`}`,
          );
          runs.push(m);
        }
        const of = (pick: (m: PathMeasurement) => number) =>
          ms(median(runs.map(pick)));
        pathTable.push(
          `| ${rows.toLocaleString("en")} | ${of((m) => m.ms)} | ${of((m) => m.requestMs)} | ${of((m) => m.serverMs)} | ${kb(median(runs.map((m) => m.answerBytes)))} | ${of((m) => m.ms - m.requestMs - m.serverMs)} | ${of((m) => m.longestTaskMs)} |`,
        );
      }
    } finally {
      await stack.close();
    }
  }

  console.log(
    `\nChromium ${browser.version()}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), load average ${loadavg()[0]?.toFixed(1)}, medians of ${RUNS} runs, ${new Date().toISOString()}\n`,
  );
  console.log(
    "| rows | file | Guestlist worker (parse + validate) | bare papaparse (worker) | ratio | longest main-thread task (Guestlist) | bare papaparse on the main thread | its longest main-thread task |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const line of table) console.log(line);
  if (pathTable.length > 0) {
    console.log(
      "\n| rows | whole path: file chosen → verdicts in the preview table | until the preview request is sent | preview request (BFF) | its answer | after the answer (merge, render) | longest main-thread task |",
    );
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const line of pathTable) console.log(line);
  }
} finally {
  await browser.close();
  await server.close();
}
