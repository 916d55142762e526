/// <reference lib="webworker" />
// Streams a CSV file through papaparse off the main thread, then normalises, recognises columns and
// validates rows on request. The rows stay here; only the sample and the per-row checks go back,
// the checks as columns in one message with transferred buffers (row-checks.ts).
import Papa from "papaparse";
import { analyseRecords, type Analysis } from "./analyse-records.ts";
import type { FromWorker, ToWorker } from "./csv-protocol.ts";
import { detectDelimiter } from "./normalise-file.ts";
import { checkRows, previewBody, transferablesOf } from "./row-checks.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let analysis: Analysis | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function parse(file: File, maxRows: number): Promise<void> {
  const delimiter = detectDelimiter(await file.slice(0, 65_536).text());
  const records: string[][] = [];
  let tooMany = false;
  let lastReport = 0;
  Papa.parse<string[]>(file, {
    delimiter,
    skipEmptyLines: false,
    chunkSize: 1024 * 1024,
    chunk(results, parser) {
      for (const record of results.data) records.push(record);
      // +3: the header, a title row and an Entra version line may precede the data.
      if (records.length > maxRows + 3 + 50) {
        tooMany = true;
        parser.abort();
      }
      const now = performance.now();
      if (now - lastReport > 50) {
        lastReport = now;
        post({
          type: "progress",
          loaded: results.meta.cursor,
          total: file.size,
        });
      }
    },
    complete() {
      if (tooMany) {
        post({
          type: "failed",
          reason: "too_many_rows",
          message: `The file has more than ${maxRows} rows.`,
        });
        return;
      }
      analysis = analyseRecords(records);
      if (analysis.rows.length > maxRows) {
        post({
          type: "failed",
          reason: "too_many_rows",
          message: `The file has more than ${maxRows} rows.`,
        });
        return;
      }
      if (analysis.rows.length === 0) {
        post({
          type: "failed",
          reason: "empty",
          message: "The file has no rows with people in it.",
        });
        return;
      }
      post({
        type: "progress",
        loaded: file.size,
        total: file.size,
      });
      const { header, sample, detection, notes } = analysis;
      post({
        type: "parsed",
        analysis: { header, sample, detection, notes },
        rowCount: analysis.rows.length,
      });
    },
    error(error) {
      post({ type: "failed", reason: "unreadable", message: error.message });
    },
  });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "parse") {
    parse(message.file, message.maxRows).catch((error: unknown) => {
      post({
        type: "failed",
        reason: "unreadable",
        message: error instanceof Error ? error.message : "Unreadable file",
      });
    });
  } else if (analysis !== null) {
    const { columns, summary } = checkRows(
      analysis.rows,
      analysis.rowNumbers,
      message.mapping,
    );
    // The preview body is built from the columns after `validated` has gone; keep the two
    // arrays it reads (transferring detaches them here).
    const kept = {
      ...columns,
      ends: columns.ends.slice(),
      present: columns.present.slice(),
    };
    // One message: the buffers move to the page without a copy, the text is one string. (Before,
    // 100,000 check objects went in slices of 5,000 so that decoding them did not block the page.)
    post({ type: "validated", columns, summary }, transferablesOf(columns));
    // Then the preview's request body, serialised here rather than on the page (before: 100,000
    // row objects and their JSON.stringify were the page's longest task; docs/benchmarks.md).
    // A Blob: its bytes go to the browser's blob store from here, the page gets a handle and
    // fetch reads them from there (no copy of the body on the page's thread).
    const body = new Blob([previewBody(kept)], { type: "application/json" });
    post({ type: "previewBody", body });
  }
};
