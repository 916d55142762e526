// Drives csv.worker.ts from React: one worker per file, terminated when a new file starts or the
// page unmounts, so a 100,000-row parse never blocks the page.
import { MAX_ROWS } from "@app/bff/contract";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FromWorker, ParsedAnalysis, ToWorker } from "./csv-protocol.ts";
import type { ColumnMapping } from "./detect-columns.ts";
import { RowChecks } from "./row-checks.ts";
import type { ValidationSummary } from "./validate-rows.ts";

export type ParsedFile = {
  fileName: string;
  analysis: ParsedAnalysis;
  rowCount: number;
};
export type ValidatedFile = ParsedFile & {
  mapping: ColumnMapping;
  /** every row's check, in columns (row-checks.ts) */
  checks: RowChecks;
  /** the preview's request body (JSON of PreviewColumns), serialised by the worker */
  previewBody: Promise<Blob | string>;
  summary: ValidationSummary;
};

export type CsvState =
  | { phase: "idle" }
  | { phase: "parsing"; fileName: string; loaded: number; total: number }
  | { phase: "parsed"; file: ParsedFile }
  | { phase: "validating"; file: ParsedFile }
  | { phase: "validated"; file: ValidatedFile }
  | { phase: "failed"; fileName: string; message: string };

export function useCsvWorker() {
  const [state, setState] = useState<CsvState>({ phase: "idle" });
  const worker = useRef<Worker | null>(null);
  const parsed = useRef<ParsedFile | null>(null);
  const pendingMapping = useRef<ColumnMapping>({});
  /** resolves the latest ValidatedFile's previewBody when the worker's bytes arrive */
  const bodyArrived = useRef<((body: Blob) => void) | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const parse = useCallback(
    (file: File) => {
      stop();
      const w = new Worker(new URL("./csv.worker.ts", import.meta.url), {
        type: "module",
      });
      worker.current = w;
      setState({
        phase: "parsing",
        fileName: file.name,
        loaded: 0,
        total: file.size,
      });
      w.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        if (message.type === "progress") {
          setState({
            phase: "parsing",
            fileName: file.name,
            loaded: message.loaded,
            total: message.total,
          });
        } else if (message.type === "parsed") {
          parsed.current = {
            fileName: file.name,
            analysis: message.analysis,
            rowCount: message.rowCount,
          };
          setState({ phase: "parsed", file: parsed.current });
        } else if (message.type === "validated" && parsed.current !== null) {
          const previewBody = new Promise<Blob>((resolve) => {
            bodyArrived.current = resolve;
          });
          const validated = {
            ...parsed.current,
            mapping: pendingMapping.current,
            checks: new RowChecks(message.columns),
            summary: message.summary,
            previewBody,
          };
          setState({ phase: "validated", file: validated });
        } else if (message.type === "previewBody") {
          bodyArrived.current?.(message.body);
          bodyArrived.current = null;
        } else if (message.type === "failed") {
          setState({
            phase: "failed",
            fileName: file.name,
            message: message.message,
          });
        }
      };
      w.onerror = () =>
        setState({
          phase: "failed",
          fileName: file.name,
          message: "The file could not be read.",
        });
      w.postMessage({
        type: "parse",
        file,
        maxRows: MAX_ROWS,
      } satisfies ToWorker);
    },
    [stop],
  );

  const validate = useCallback((mapping: ColumnMapping) => {
    if (worker.current === null || parsed.current === null) return;
    pendingMapping.current = mapping;
    setState({ phase: "validating", file: parsed.current });
    worker.current.postMessage({
      type: "validate",
      mapping,
    } satisfies ToWorker);
  }, []);

  /** Back to the mapping step with the same parsed file. */
  const remap = useCallback(() => {
    if (parsed.current !== null)
      setState({ phase: "parsed", file: parsed.current });
  }, []);

  const reset = useCallback(() => {
    stop();
    parsed.current = null;
    setState({ phase: "idle" });
  }, [stop]);

  const fail = useCallback(
    (fileName: string, message: string) => {
      stop();
      setState({ phase: "failed", fileName, message });
    },
    [stop],
  );

  return { state, parse, validate, remap, reset, fail };
}
