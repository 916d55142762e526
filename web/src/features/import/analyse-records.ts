// What the worker reports once a file is read: the normalised table, how its columns were
// recognised, and a short sample for the mapping form. Pure, so tests need no worker.
import { detectColumns, type Detection } from "./detect-columns.ts";
import { normaliseRecords, type NormalisedFile } from "./normalise-file.ts";

export type Analysis = NormalisedFile & {
  detection: Detection;
  sample: string[][];
};

const SAMPLE_ROWS = 50;

export function analyseRecords(
  records: readonly (readonly string[])[],
): Analysis {
  const file = normaliseRecords(records);
  const sample = file.rows.slice(0, SAMPLE_ROWS);
  return {
    ...file,
    detection: detectColumns(file.header, sample),
    sample: sample.slice(0, 5),
  };
}
