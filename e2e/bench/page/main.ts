// Bench page: runs Guestlist's real CSV worker and bare papaparse on one File and reports wall
// time and the longest main-thread task. Built with Vite by e2e/bench/csv.ts, which drives it.
import Papa from "papaparse";
import type { BenchApi, Measurement, Mode } from "./types.ts";

// Same limit as MAX_ROWS in bff/src/features/invitations/contract.ts.
const MAX_ROWS = 100_000;

type Summary = NonNullable<Measurement["summary"]>;
type FromCsvWorker =
  | { type: "progress" }
  | { type: "parsed"; analysis: { detection: { mapping: object } } }
  | { type: "validated"; columns: { count: number }; summary: Summary }
  | { type: "failed"; message: string };

type Outcome = { rows: number; parsedMs?: number; summary?: Summary };

let file: File | null = null;

/** Parse + validate with the worker the import page uses, speaking its protocol (csv-protocol.ts). */
function guestlistWorker(input: File): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let parsedMs = 0;
    const worker = new Worker(
      new URL(
        "../../../web/src/features/import/csv.worker.ts",
        import.meta.url,
      ),
      { type: "module" },
    );
    worker.onmessage = (event: MessageEvent<FromCsvWorker>) => {
      const message = event.data;
      if (message.type === "parsed") {
        parsedMs = performance.now() - start;
        const mapping = message.analysis.detection.mapping;
        worker.postMessage({ type: "validate", mapping });
      } else if (message.type === "validated") {
        worker.terminate();
        resolve({
          rows: message.columns.count,
          parsedMs,
          summary: message.summary,
        });
      } else if (message.type === "failed") {
        worker.terminate();
        reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage({ type: "parse", file: input, maxRows: MAX_ROWS });
  });
}

function papaparseWorker(input: File): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./papa.worker.ts", import.meta.url), {
      type: "module",
    });
    worker.onmessage = (
      event: MessageEvent<{ rows?: number; error?: string }>,
    ) => {
      worker.terminate();
      if (event.data.rows === undefined)
        reject(new Error(event.data.error ?? "papaparse failed"));
      else resolve({ rows: event.data.rows });
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(input);
  });
}

function papaparseMain(input: File): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    Papa.parse<Record<string, string>>(input, {
      worker: false,
      header: true,
      skipEmptyLines: true,
      complete: (results) => resolve({ rows: results.data.length }),
      error: (error) => reject(error),
    });
  });
}

const RUNNERS: Record<Mode, (input: File) => Promise<Outcome>> = {
  "guestlist-worker": guestlistWorker,
  "papaparse-worker": papaparseWorker,
  "papaparse-main": papaparseMain,
};

async function run(mode: Mode): Promise<Measurement> {
  if (file === null) throw new Error("load a file first");
  const input = file;
  // Start every measurement with a clean heap (csv.ts launches Chromium with --expose-gc), so one
  // mode's garbage is not collected on the main thread during, and charged to, the next one.
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  let longest = 0;
  const start = performance.now();
  const note = (entries: PerformanceEntryList) => {
    for (const entry of entries)
      if (entry.startTime >= start) longest = Math.max(longest, entry.duration);
  };
  const observer = new PerformanceObserver((list) => note(list.getEntries()));
  observer.observe({ type: "longtask", buffered: true });
  const outcome = await RUNNERS[mode](input);
  const ms = performance.now() - start;
  // Long-task entries are delivered after the task; give the last one time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 250));
  note(observer.takeRecords());
  observer.disconnect();
  return { mode, ms, longestTaskMs: longest, ...outcome };
}

async function load(url: string): Promise<number> {
  const blob = await (await fetch(url)).blob();
  file = new File([blob], url.split("/").pop() ?? "people.csv", {
    type: "text/csv",
  });
  return file.size;
}

const bench: BenchApi = {
  load,
  run,
  longTasksSupported:
    PerformanceObserver.supportedEntryTypes.includes("longtask"),
};
Object.assign(window, { bench });
