// Messages between the import page and csv.worker.ts.
import type { ColumnMapping } from "./detect-columns.ts";
import type { Analysis } from "./analyse-records.ts";
import type { CheckColumns } from "./row-checks.ts";
import type { ValidationSummary } from "./validate-rows.ts";

export type ToWorker =
  | { type: "parse"; file: File; maxRows: number }
  | { type: "validate"; mapping: ColumnMapping };

/** What the page reads of the analysis; the rows and their numbers stay in the worker. */
export type ParsedAnalysis = Pick<
  Analysis,
  "header" | "sample" | "detection" | "notes"
>;

export type ParseFailure = "too_many_rows" | "empty" | "unreadable";

export type FromWorker =
  | { type: "progress"; loaded: number; total: number }
  | {
      type: "parsed";
      analysis: ParsedAnalysis;
      rowCount: number;
    }
  /**
   * Every row's check in columns (row-checks.ts): typed arrays whose buffers are transferred, not
   * copied, and one string; decoding it is a memory copy, not 100,000 objects to build on the page.
   */
  | { type: "validated"; columns: CheckColumns; summary: ValidationSummary }
  /**
   * Right after `validated`: the preview's request body for the same rows, JSON
   * (row-checks.ts, previewBody), as a Blob (a handle; its bytes are not copied to the page).
   */
  | { type: "previewBody"; body: Blob }
  | { type: "failed"; reason: ParseFailure; message: string };
