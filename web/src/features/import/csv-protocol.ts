// Messages between the import page and csv.worker.ts.
import type { ColumnMapping } from "./detect-columns.ts";
import type { Analysis } from "./analyse-records.ts";
import type { RowCheck, ValidationSummary } from "./validate-rows.ts";

export type ToWorker =
  | { type: "parse"; file: File; maxRows: number }
  | { type: "validate"; mapping: ColumnMapping };

export type ParseFailure = "too_many_rows" | "empty" | "unreadable";

export type FromWorker =
  | { type: "progress"; loaded: number; total: number; records: number }
  | {
      type: "parsed";
      analysis: Omit<Analysis, "rows">;
      rowCount: number;
      delimiter: string;
    }
  /** the per-row checks in slices, so no single message blocks the page while it is decoded */
  | { type: "checks"; checks: RowCheck[] }
  /** after the last `checks` slice */
  | { type: "validated"; summary: ValidationSummary }
  | { type: "failed"; reason: ParseFailure; message: string };
