// Parses a whole CSV string the way the worker parses a file. Used by tests and benchmarks; the
// app itself parses in csv.worker.ts so papaparse stays out of the main bundle.
import Papa from "papaparse";
import { analyseRecords, type Analysis } from "./analyse-records.ts";
import { detectDelimiter } from "./normalise-file.ts";

export function parseCsvText(text: string): Analysis {
  const result = Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text.slice(0, 65_536)),
    skipEmptyLines: false,
  });
  return analyseRecords(result.data);
}
