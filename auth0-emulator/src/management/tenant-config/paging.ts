// Offset paging as the Management API list endpoints do it: `page` (0-based), `per_page` (default
// 50, max 100), `include_totals` (false → bare array, true → `{start, limit, total, <key>}`).
import { invalidQuery } from "../errors.ts";

export interface PageQuery {
  page?: string;
  per_page?: string;
  include_totals?: string;
}

function intParam(
  name: string,
  raw: string | undefined,
  fallback: number,
  max: number,
): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw invalidQuery(
      `Query validation error: 'Invalid value ${raw} for ${name}' on property ${name}.`,
    );
  return n;
}

export function offsetPage<T>(
  items: T[],
  query: PageQuery,
  key: string,
): unknown {
  const page = intParam("page", query.page, 0, 1_000_000);
  const perPage = intParam("per_page", query.per_page, 50, 100);
  const slice = items.slice(page * perPage, page * perPage + perPage);
  if (query.include_totals !== "true") return slice;
  return {
    start: page * perPage,
    limit: perPage,
    total: items.length,
    [key]: slice,
  };
}

/** Actions-style paging: always an object `{total, page, per_page, <key>}`. */
export function actionsPage<T>(
  items: T[],
  query: PageQuery,
  key: string,
): unknown {
  const page = intParam("page", query.page, 0, 1_000_000);
  const perPage = intParam("per_page", query.per_page, 20, 100);
  return {
    total: items.length,
    page,
    per_page: perPage,
    [key]: items.slice(page * perPage, page * perPage + perPage),
  };
}
