// The per-row checks of a whole file in one pass and in columns: numbers in typed arrays, the five
// input fields in one string with end offsets. The worker builds them and transfers the buffers in
// a single message (no 100,000 objects to clone and decode); the page reads them through RowChecks.
//
// It judges exactly as validate-rows.ts (PersonRow.safeParse per row: same verdict, field
// and reason, the first issue in field order), without zod: the rules as plain string checks in
// bff/src/person-row-checks.ts, the same code the BFF's preview runs. row-checks.test.ts proves it on every fixture, a generated 100,000-row file and hundreds
// of tricky values, so a change to the contract that is not made here fails that test.
import type { PreviewColumns, UncheckedPersonRow } from "@app/bff/contract";
import {
  isZodEmail,
  judgeEmail,
  judgeRest,
  PERSON_ROW_FIELDS,
  PERSON_ROW_PROBLEMS,
  PROBLEM,
} from "@app/bff/person-row-checks";
import type { ColumnMapping } from "./detect-columns.ts";
import { normaliseRole } from "./role-values.ts";
import type {
  RowCheck,
  ValidationSummary,
  VerdictOfCheck,
} from "./validate-rows.ts";

export const INPUT_FIELDS = PERSON_ROW_FIELDS;
const FIELD_COUNT = INPUT_FIELDS.length;

const VERDICTS: readonly VerdictOfCheck[] = [
  "ready",
  "invalid",
  "duplicate_in_file",
];
const READY = 0;
const INVALID = 1;
const DUPLICATE = 2;

const PROBLEMS = PERSON_ROW_PROBLEMS;
const P = PROBLEM;

export { isZodEmail };

/** What the worker transfers: plain data, every array's buffer transferable. */
export type CheckColumns = {
  count: number;
  /** spreadsheet row number */
  rows: Int32Array;
  /** index into VERDICTS */
  verdicts: Uint8Array;
  /** index into PROBLEMS; 0 for none */
  problems: Uint8Array;
  /** duplicate_in_file: the row number of the first row with the address; else 0 */
  duplicateOf: Int32Array;
  /** every input field of every row, concatenated */
  text: string;
  /** end offset in `text` of field f of row i at [i * 5 + f] */
  ends: Uint32Array;
  /** bit f set when field f of the row is present (email: not null) */
  present: Uint8Array;
};

export function transferablesOf(columns: CheckColumns): ArrayBuffer[] {
  return [
    columns.rows,
    columns.verdicts,
    columns.problems,
    columns.duplicateOf,
    columns.ends,
    columns.present,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** Mirrors cell() in validate-rows.ts: trimmed, or undefined when empty or unmapped. */
function cell(
  cells: readonly string[],
  column: number | undefined,
): string | undefined {
  if (column === undefined) return undefined;
  const value = (cells[column] ?? "").trim();
  return value === "" ? undefined : value;
}

const ANGLED = /<([^<>\s]+@[^<>\s]+)>/;
const MAILTO = /^mailto:/i;

/** cleanEmail() of validate-rows.ts, skipping the regexes when they cannot match. */
function cleanEmail(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let address = value;
  if (value.includes("<")) address = ANGLED.exec(value)?.[1] ?? value;
  const first = address.charCodeAt(0);
  if (first === 109 || first === 77) address = address.replace(MAILTO, "");
  return address.trim();
}

const WHITESPACE = /\s+/;

/**
 * validateRows() of validate-rows.ts in one pass and in columns: projects each row through the
 * mapping, judges it, and flags a repeated address.
 */
export function checkRows(
  rows: readonly (readonly string[])[],
  rowNumbers: readonly number[],
  mapping: ColumnMapping,
): { columns: CheckColumns; summary: ValidationSummary } {
  const count = rows.length;
  const columns = {
    count,
    rows: new Int32Array(count),
    verdicts: new Uint8Array(count),
    problems: new Uint8Array(count),
    duplicateOf: new Int32Array(count),
    ends: new Uint32Array(count * FIELD_COUNT),
    present: new Uint8Array(count),
  };
  const summary: ValidationSummary = {
    ready: 0,
    invalid: 0,
    duplicate_in_file: 0,
  };
  const firstSeen = new Map<string, number>();
  const parts: string[] = [];
  let offset = 0;
  const { ends, present } = columns;
  const fields = new Array<string | undefined>(FIELD_COUNT);

  for (let i = 0; i < count; i += 1) {
    const cells = rows[i] ?? [];
    const rowNumber = rowNumbers[i] ?? i + 1;
    let givenName = cell(cells, mapping.givenName);
    let familyName = cell(cells, mapping.familyName);
    if (givenName === undefined && familyName === undefined) {
      const full = cell(cells, mapping.fullName);
      if (full !== undefined) {
        const words = full.split(WHITESPACE);
        givenName = words[0];
        const rest = words.slice(1).join(" ");
        familyName = rest === "" ? undefined : rest;
      }
    }
    const email = cleanEmail(cell(cells, mapping.email));
    const role = normaliseRole(cell(cells, mapping.role));
    const locale = cell(cells, mapping.locale);

    // validateRows keys duplicates by the trimmed, lower-cased address: what judgeEmail sees.
    const address = email === undefined ? "" : email.trim().toLowerCase();
    let problem = email === undefined ? P.emailRequired : judgeEmail(address);
    if (problem === 0) problem = judgeRest(givenName, familyName, role, locale);
    let verdict = problem === 0 ? READY : INVALID;
    if (verdict === READY) {
      const earlier = firstSeen.get(address);
      if (earlier === undefined) firstSeen.set(address, rowNumber);
      else {
        verdict = DUPLICATE;
        columns.duplicateOf[i] = earlier;
      }
    }
    summary[VERDICTS[verdict] ?? "invalid"] += 1;
    columns.rows[i] = rowNumber;
    columns.verdicts[i] = verdict;
    columns.problems[i] = problem;

    fields[0] = email;
    fields[1] = givenName;
    fields[2] = familyName;
    fields[3] = role;
    fields[4] = locale;
    let bits = 0;
    for (let f = 0; f < FIELD_COUNT; f += 1) {
      const value = fields[f];
      if (value !== undefined) {
        parts.push(value);
        offset += value.length;
        bits |= 1 << f;
      }
      ends[i * FIELD_COUNT + f] = offset;
    }
    present[i] = bits;
  }
  return { columns: { ...columns, text: parts.join("") }, summary };
}

/**
 * The preview's request body (PreviewColumns in the BFF's contract): one array per input field,
 * the cell of a row without the field null; a field no row has is left out, except `email`. The
 * worker builds and serialises it after its `validated` message and hands the page a Blob of it, so the
 * page sends them without building or stringifying 100,000 row objects (csv.worker.ts).
 */
export function previewColumns(columns: CheckColumns): PreviewColumns {
  const { count, ends, present, text } = columns;
  const body: Partial<
    Record<(typeof INPUT_FIELDS)[number], (string | null)[]>
  > = {};
  for (let f = 0; f < FIELD_COUNT; f += 1) {
    const bit = 1 << f;
    const cells = new Array<string | null>(count);
    let any = f === 0;
    for (let i = 0; i < count; i += 1) {
      const slot = i * FIELD_COUNT + f;
      if (((present[i] ?? 0) & bit) === 0) cells[i] = null;
      else {
        cells[i] = text.slice(
          slot === 0 ? 0 : (ends[slot - 1] ?? 0),
          ends[slot],
        );
        any = true;
      }
    }
    if (any) body[INPUT_FIELDS[f] ?? "email"] = cells;
  }
  return body as PreviewColumns;
}

/** previewColumns() as JSON, ready for the request. */
export function previewBody(columns: CheckColumns): string {
  return JSON.stringify(previewColumns(columns));
}

/** Read access to the columns on the page; `at(i)` gives the RowCheck validate-rows.ts would. */
export class RowChecks {
  readonly columns: CheckColumns;
  readonly length: number;
  constructor(columns: CheckColumns) {
    this.columns = columns;
    this.length = columns.count;
  }

  static of(
    rows: readonly (readonly string[])[],
    rowNumbers: readonly number[],
    mapping: ColumnMapping,
  ): { checks: RowChecks; summary: ValidationSummary } {
    const { columns, summary } = checkRows(rows, rowNumbers, mapping);
    return { checks: new RowChecks(columns), summary };
  }

  row(i: number): number {
    return this.columns.rows[i] ?? 0;
  }

  verdict(i: number): VerdictOfCheck {
    return VERDICTS[this.columns.verdicts[i] ?? INVALID] ?? "invalid";
  }

  /** The field with the problem (invalid, duplicate_in_file); undefined when ready. */
  field(i: number): string | undefined {
    if (this.columns.verdicts[i] === DUPLICATE) return "email";
    const problem = this.columns.problems[i] ?? 0;
    return problem === 0 ? undefined : PROBLEMS[problem]?.[0];
  }

  reason(i: number): string | undefined {
    if (this.columns.verdicts[i] === DUPLICATE)
      return `Same email as row ${this.columns.duplicateOf[i]}`;
    const problem = this.columns.problems[i] ?? 0;
    return problem === 0 ? undefined : PROBLEMS[problem]?.[1];
  }

  /** Field f (index into INPUT_FIELDS) of row i, undefined when absent. */
  value(i: number, f: number): string | undefined {
    const { ends, present, text } = this.columns;
    if (((present[i] ?? 0) & (1 << f)) === 0) return undefined;
    const slot = i * FIELD_COUNT + f;
    const start = slot === 0 ? 0 : (ends[slot - 1] ?? 0);
    return text.slice(start, ends[slot]);
  }

  email(i: number): string | undefined {
    return this.value(i, 0);
  }

  /** The role as checked: a synonym already made "admin" or "member"; undefined when blank. */
  role(i: number): string | undefined {
    return this.value(i, 3);
  }

  /** The row as it goes to the preview: email always (null when the file had none), the rest when present. */
  input(i: number): UncheckedPersonRow {
    const input: UncheckedPersonRow = { email: this.value(i, 0) ?? null };
    for (let f = 1; f < FIELD_COUNT; f += 1) {
      const value = this.value(i, f);
      if (value !== undefined) input[INPUT_FIELDS[f] ?? "email"] = value;
    }
    return input;
  }

  inputs(): UncheckedPersonRow[] {
    const out = new Array<UncheckedPersonRow>(this.length);
    for (let i = 0; i < this.length; i += 1) out[i] = this.input(i);
    return out;
  }

  at(i: number): RowCheck {
    const check: RowCheck = {
      row: this.row(i),
      input: this.input(i),
      verdict: this.verdict(i),
    };
    const field = this.field(i);
    const reason = this.reason(i);
    if (field !== undefined) check.field = field;
    if (reason !== undefined) check.reason = reason;
    return check;
  }

  toArray(): RowCheck[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
}
