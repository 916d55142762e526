// Keyset paging, the one way the BFF pages a list (audit log, members, an import's rows): ask the
// database for the rows after the cursor, ordered by the key, `limit + 1` of them; the extra row
// only says that a next page exists, and the last row of the page is the next cursor. Page N then
// costs what page 1 does (an index walk from the key), unlike offset paging.

import { AppError } from "../errors.ts";

/** How many rows to ask for: one more than the page, or all of them when there is no limit. */
export function rowsToFetch(limit: number): number;
export function rowsToFetch(limit: number | null): number | null;
export function rowsToFetch(limit: number | null): number | null {
  return limit === null ? null : limit + 1;
}

export interface KeysetPage<R, C> {
  /** at most `limit` rows */
  rows: R[];
  /** the key of the page's last row when more rows follow, else null */
  nextCursor: C | null;
}

/**
 * The page out of the `rowsToFetch(limit)` rows the query returned, in key order. `cursorOf` turns
 * the page's last row into the cursor of the next page. `limit` null: every row, no next page.
 */
export function keysetPage<R, C>(
  fetched: readonly R[],
  limit: number | null,
  cursorOf: (last: R) => C,
): KeysetPage<R, C> {
  if (limit === null) return { rows: [...fetched], nextCursor: null };
  const rows = fetched.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor:
      fetched.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

/** An opaque cursor for a key of several text columns (e.g. email, user id): base64url JSON. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key of an `encodeCursor` cursor with `size` columns; a malformed cursor is a 400. */
export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const v: unknown = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    );
    if (
      Array.isArray(v) &&
      v.length === size &&
      v.every((x) => typeof x === "string")
    )
      return v;
  } catch {
    // fall through
  }
  throw new AppError("validation", "Invalid cursor");
}
