// What the bench page reports to e2e/bench/csv.ts for one measurement.
export type Mode = "guestlist-worker" | "papaparse-worker" | "papaparse-main";

export type Measurement = {
  mode: Mode;
  /** wall time from starting the worker (or parse) to the final result */
  ms: number;
  /** longest main-thread long task (>= 50 ms) while it ran; 0 when there was none */
  longestTaskMs: number;
  rows: number;
  /** Guestlist only: from the start until the worker reported "parsed" (before validation) */
  parsedMs?: number;
  /** Guestlist only: what validation found */
  summary?: { ready: number; invalid: number; duplicate_in_file: number };
};

export type BenchApi = {
  load(url: string): Promise<number>;
  run(mode: Mode): Promise<Measurement>;
  longTasksSupported: boolean;
};
