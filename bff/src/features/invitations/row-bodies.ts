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
import { MAX_ROWS, UNCHECKED_CELL_MAX } from "./contract.ts";

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

/** PreviewInput: `rows` UncheckedPersonRow[] (1 to MAX_ROWS); nothing is changed. */
function isValidPreview(body: unknown): boolean {
  const rows = rowsOf(body, ["rows"]);
  if (rows === undefined) return false;
  for (let i = 0; i < rows.length; i += 1)
    if (!isUncheckedPersonRow(rows[i], UNCHECKED_CELL_MAX)) return false;
  return true;
}

/** `validatorCompiler` of POST …/imports (CreateImportInput). */
export const importBodyCompiler = withFastBody(isValidImport);
/** `validatorCompiler` of POST …/invitations/preview (PreviewInput). */
export const previewBodyCompiler = withFastBody(isValidPreview);
