// The preview's and the import's bodies (up to 100,000 rows, ≈ 12 MB of JSON) validated without a
// copy: zod's parse of `z.array(PersonRow)` builds a second object per row (and more per value),
// which held the body twice during the import's POST (docs/benchmarks.md, "Issue 14"). Here a
// route-level validator compiler (Fastify's `validatorCompiler` route option) checks the parsed
// body in one pass with the zod-free rules of PersonRow (person-row-checks.ts) and normalises the
// rows in place. When anything is not plainly valid it hands the body to the route's zod schema
// (the rows before the first invalid one already normalised, which zod accepts unchanged; the rest
// untouched), so every 400 is zod's own answer (same issues, paths such as `rows.1.nick`, messages;
// row-bodies.test.ts compares the two on every kind of bad value).
// The route keeps its zod schema: types, the OpenAPI document and the fallback come from it.
import type { FastifySchemaCompiler } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { z } from "zod";
import {
  isUncheckedPersonRow,
  normalisePersonRowInPlace,
} from "../../person-row-checks.ts";
import {
  MAX_ROWS,
  PREVIEW_COLUMNS,
  PreviewColumns,
  PreviewRows,
  UNCHECKED_CELL_MAX,
} from "./contract.ts";

/** True when the body is valid as it is now (its rows normalised in place); false = ask zod. */
type FastCheck = (body: unknown) => boolean;

/** Generic over the route's schema type, which Fastify infers per route. */
function withFastBody(fast: FastCheck) {
  return <S>(
    route: Parameters<FastifySchemaCompiler<S>>[0],
  ): ReturnType<FastifySchemaCompiler<S>> => {
    const zod = validatorCompiler(
      route as unknown as Parameters<FastifySchemaCompiler<z.ZodType>>[0],
    );
    if (route.httpPart !== "body") return zod;
    return (data: unknown) => (fast(data) ? { value: data } : zod(data));
  };
}

/** A plain object whose own keys are among `allowed`, with an array `rows` of 1 to MAX_ROWS items. */
function rowsOf(
  body: unknown,
  allowed: readonly string[],
): unknown[] | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return undefined;
  for (const key in body) if (!allowed.includes(key)) return undefined;
  const rows = (body as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > MAX_ROWS)
    return undefined;
  return rows as unknown[];
}

/**
 * CreateImportInput: `rows` PersonRow[] (1 to MAX_ROWS), optional `sourceRows`, one positive whole
 * number per row. Rows are normalised as PersonRow outputs them; a row found invalid stops the scan
 * (the rows before it are already normalised, which zod accepts unchanged).
 */
function isValidImport(body: unknown): boolean {
  const rows = rowsOf(body, ["rows", "sourceRows"]);
  if (rows === undefined) return false;
  const sourceRows = (body as { sourceRows?: unknown }).sourceRows;
  if (sourceRows !== undefined) {
    if (!Array.isArray(sourceRows) || sourceRows.length !== rows.length)
      return false;
    for (const n of sourceRows as unknown[])
      if (!Number.isSafeInteger(n) || (n as number) <= 0) return false;
  }
  for (let i = 0; i < rows.length; i += 1)
    if (!normalisePersonRowInPlace(rows[i])) return false;
  return true;
}

/** PreviewRows: `rows` UncheckedPersonRow[] (1 to MAX_ROWS); nothing is changed. */
function isValidPreviewRows(body: unknown): boolean {
  const rows = rowsOf(body, ["rows"]);
  if (rows === undefined) return false;
  for (let i = 0; i < rows.length; i += 1)
    if (!isUncheckedPersonRow(rows[i], UNCHECKED_CELL_MAX)) return false;
  return true;
}

/** A column of PreviewColumns: `length` cells, each null or a string of ≤ UNCHECKED_CELL_MAX. */
function isColumn(column: unknown, length: number): boolean {
  if (!Array.isArray(column) || column.length !== length) return false;
  for (let i = 0; i < length; i += 1) {
    const cell: unknown = column[i];
    if (
      cell !== null &&
      (typeof cell !== "string" || cell.length > UNCHECKED_CELL_MAX)
    )
      return false;
  }
  return true;
}

/**
 * PreviewColumns: only the five fields; `email` 1 to MAX_ROWS cells; every other column present
 * has as many. Nothing is changed.
 */
function isValidPreviewColumns(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return false;
  for (const key in body)
    if (!(PREVIEW_COLUMNS as readonly string[]).includes(key)) return false;
  const columns = body as Partial<Record<string, unknown>>;
  const email = columns.email;
  if (!Array.isArray(email) || email.length < 1 || email.length > MAX_ROWS)
    return false;
  for (const field of PREVIEW_COLUMNS) {
    const column = columns[field];
    if (
      (column !== undefined || field === "email") &&
      !isColumn(column, email.length)
    )
      return false;
  }
  return true;
}

/** The preview's body is PreviewRows when it has a `rows` field, else PreviewColumns (contract.ts). */
function isRowsBody(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Object.prototype.hasOwnProperty.call(body, "rows")
  );
}

/** `validatorCompiler` of POST …/imports (CreateImportInput). */
export const importBodyCompiler = withFastBody(isValidImport);

/**
 * `validatorCompiler` of POST …/invitations/preview (PreviewInput): the body's shape picks the
 * schema (isRowsBody), so a 400 is zod's answer for that one shape, not a union's "Invalid input".
 */
export function previewBodyCompiler<S>(
  route: Parameters<FastifySchemaCompiler<S>>[0],
): ReturnType<FastifySchemaCompiler<S>> {
  const zodOf = (schema: z.ZodType) =>
    validatorCompiler({
      ...(route as unknown as Parameters<FastifySchemaCompiler<z.ZodType>>[0]),
      schema,
    });
  if (route.httpPart !== "body") return zodOf(route.schema as z.ZodType);
  const rows = zodOf(PreviewRows);
  const columns = zodOf(PreviewColumns);
  return (data: unknown) =>
    isRowsBody(data)
      ? isValidPreviewRows(data)
        ? { value: data }
        : rows(data)
      : isValidPreviewColumns(data)
        ? { value: data }
        : columns(data);
}
