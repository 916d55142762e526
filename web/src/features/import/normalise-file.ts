// Turns the raw records of a spreadsheet export into a header plus data rows, absorbing Excel and
// export quirks: BOM, ; or tab delimiters, stray spaces, blank lines, trailing empty columns,
// title rows above the header, Entra's `version:v1.0` line and example row, repeated headers.
import { EMAIL_LIKE, looksLikeHeader } from "./detect-columns.ts";

export type Delimiter = "," | ";" | "\t" | "|";
const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];

/** Count a delimiter outside double quotes on one line. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count += 1;
  }
  return count;
}

/** Pick the delimiter whose count is the same on most lines of the sample (ties: the larger count). */
export function detectDelimiter(sample: string): Delimiter {
  const lines = sample
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== "" && !/^version:v\d/i.test(l.trim()))
    .slice(0, 30);
  let best: { delimiter: Delimiter; score: number; width: number } = {
    delimiter: ",",
    score: 0,
    width: 0,
  };
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, delimiter));
    const frequency = new Map<number, number>();
    for (const c of counts)
      if (c > 0) frequency.set(c, (frequency.get(c) ?? 0) + 1);
    for (const [width, times] of frequency) {
      const score = times / Math.max(lines.length, 1);
      if (score > best.score || (score === best.score && width > best.width))
        best = { delimiter, score, width };
    }
  }
  return best.delimiter;
}

export type NormalisedFile = {
  header: string[];
  /** data rows, cells trimmed, all the header's width */
  rows: string[][];
  /** spreadsheet row number (1-based) of each data row, for messages */
  rowNumbers: number[];
  /** false when the file had no header row and columns are named "Column N" */
  hasHeader: boolean;
  /** what was skipped and why, in words an admin understands */
  notes: string[];
};

const HEADER_SEARCH_ROWS = 12;

function cleanCell(cell: string | undefined): string {
  if (cell === undefined) return "";
  // trim() also removes the BOM and no-break spaces Excel leaves behind; the replace is for a BOM
  // inside the cell, rare enough to look for first (100,000 rows × columns add up).
  return (cell.includes("\uFEFF") ? cell.replace(/\uFEFF/g, "") : cell).trim();
}

function cleanRecord(record: readonly string[]): string[] {
  const out = new Array<string>(record.length);
  for (let i = 0; i < record.length; i += 1) out[i] = cleanCell(record[i]);
  return out;
}

/** Whether the cells are the header again (as joined with \u0000, compared only when lengths agree). */
function isHeaderAgain(cells: readonly string[], headerText: string): boolean {
  let length = Math.max(cells.length - 1, 0);
  for (const cell of cells) length += cell.length;
  return length === headerText.length && cells.join("\u0000") === headerText;
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c === "");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function isEntraExample(cells: readonly string[]): boolean {
  return (
    /^example/i.test(cells[0] ?? "") ||
    cells.some((c) => /@contoso\.(com|onmicrosoft\.com)$/i.test(c))
  );
}

const hasEmail = (cells: readonly string[]): boolean =>
  cells.some((c) => EMAIL_LIKE.test(c));

function firstRowWithEmail(
  cleaned: string[][],
  nonBlank: number[],
  from: number,
  to: number,
): number {
  for (let i = from; i < to; i += 1)
    if (hasEmail(cleaned[nonBlank[i] ?? -1] ?? [])) return i;
  return from;
}

/** With unknown header words, the row right above the first row with an address is the header. */
function headerAboveFirstEmail(
  cleaned: string[][],
  nonBlank: number[],
  from: number,
  to: number,
): number {
  const first = firstRowWithEmail(cleaned, nonBlank, from, to);
  const above = cleaned[nonBlank[first - 1] ?? -1];
  if (first <= from || above === undefined || hasEmail(above)) return -1;
  return above.filter((c) => c !== "").length >= 2 ? first - 1 : -1;
}

export function normaliseRecords(
  records: readonly (readonly string[])[],
): NormalisedFile {
  const notes: string[] = [];
  const cleaned = records.map(cleanRecord);
  const nonBlank: number[] = [];
  cleaned.forEach((cells, index) => {
    if (!isBlank(cells)) nonBlank.push(index);
  });

  let start = 0;
  let entraTemplate = false;
  const first = nonBlank[0] === undefined ? undefined : cleaned[nonBlank[0]];
  if (first !== undefined && /^version:v\d/i.test(first[0] ?? "")) {
    entraTemplate = true;
    start = 1;
    notes.push("Skipped the Microsoft Entra template's version line.");
  }

  const searchEnd = Math.min(nonBlank.length, start + HEADER_SEARCH_ROWS);
  let headerAt = -1;
  for (let i = start; i < searchEnd; i += 1) {
    const cells = cleaned[nonBlank[i] ?? -1];
    if (cells !== undefined && looksLikeHeader(cells)) {
      headerAt = i;
      break;
    }
  }
  if (headerAt < 0)
    headerAt = headerAboveFirstEmail(cleaned, nonBlank, start, searchEnd);
  const hasHeader = headerAt >= 0;
  if (hasHeader && headerAt > start)
    notes.push(
      `Skipped ${plural(headerAt - start, "title row")} above the header.`,
    );
  const dataFrom = hasHeader
    ? headerAt + 1
    : firstRowWithEmail(cleaned, nonBlank, start, searchEnd);
  if (!hasHeader && dataFrom > start)
    notes.push(
      `Skipped ${plural(dataFrom - start, "title row")} above the data.`,
    );
  const rawHeader = hasHeader ? (cleaned[nonBlank[headerAt] ?? -1] ?? []) : [];

  let dataIndexes = nonBlank.slice(dataFrom);
  const headerText = rawHeader.join("\u0000");
  const again = dataIndexes.map((i) =>
    isHeaderAgain(cleaned[i] ?? [], headerText),
  );
  const repeated = again.filter(Boolean).length;
  if (hasHeader && repeated > 0) {
    dataIndexes = dataIndexes.filter((_, k) => !again[k]);
    notes.push(`Skipped ${plural(repeated, "repeated header row")}.`);
  }
  const firstData =
    dataIndexes[0] === undefined ? undefined : cleaned[dataIndexes[0]];
  if (entraTemplate && firstData !== undefined && isEntraExample(firstData)) {
    dataIndexes = dataIndexes.slice(1);
    notes.push("Skipped the Entra template's example row.");
  }
  const blankCount = cleaned.length - nonBlank.length;
  const trailingBlank =
    cleaned.length > 0 && isBlank(cleaned[cleaned.length - 1] ?? []) ? 1 : 0;
  if (blankCount - trailingBlank > 0)
    notes.push(`Ignored ${plural(blankCount - trailingBlank, "blank line")}.`);

  // Width: up to the last column with a header or any value; trailing empty columns disappear.
  let width = rawHeader.reduce((w, cell, i) => (cell === "" ? w : i + 1), 0);
  for (const i of dataIndexes) {
    const cells = cleaned[i] ?? [];
    for (let c = cells.length - 1; c >= width; c -= 1) {
      if (cells[c] !== "") {
        width = c + 1;
        break;
      }
    }
  }
  const header = Array.from(
    { length: width },
    (_, i) => rawHeader[i] || `Column ${i + 1}`,
  );
  const rows = dataIndexes.map((i) => {
    const cells = cleaned[i] ?? [];
    // Most rows already have the header's width: keep the cleaned array rather than copy it.
    if (cells.length === width) return cells;
    const row = cells.slice(0, width);
    while (row.length < width) row.push("");
    return row;
  });
  if (!hasHeader) notes.push("No header row found; columns are numbered.");
  return {
    header,
    rows,
    rowNumbers: dataIndexes.map((i) => i + 1),
    hasHeader,
    notes,
  };
}
