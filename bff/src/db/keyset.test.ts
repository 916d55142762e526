import { describe, expect, test } from "vitest";
import { isAppError } from "../errors.ts";
import {
  decodeCursor,
  encodeCursor,
  keysetPage,
  rowsToFetch,
} from "./keyset.ts";

describe("keyset paging", () => {
  const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];

  test("asks for one row more than the page, or all rows without a limit", () => {
    expect(rowsToFetch(50)).toBe(51);
    expect(rowsToFetch(null)).toBeNull();
  });

  test("the extra row means a next page, whose cursor is the page's last row", () => {
    expect(keysetPage(rows, 2, (r) => r.id)).toEqual({
      rows: [{ id: 1 }, { id: 2 }],
      nextCursor: 2,
    });
  });

  test("no extra row: the last page", () => {
    expect(keysetPage(rows, 3, (r) => r.id)).toEqual({
      rows,
      nextCursor: null,
    });
    expect(keysetPage([], 3, (r: { id: number }) => r.id)).toEqual({
      rows: [],
      nextCursor: null,
    });
  });

  test("without a limit every row is the page", () => {
    expect(keysetPage(rows, null, (r) => r.id)).toEqual({
      rows,
      nextCursor: null,
    });
  });
});

describe("opaque cursors", () => {
  test("round-trip a key of several columns, URL-safe", () => {
    const cursor = encodeCursor(["a+b@acme.test", "auth0|1/2"]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(["a+b@acme.test", "auth0|1/2"]);
  });

  test.each([
    ["not base64 JSON", "%%%"],
    ["the wrong number of columns", encodeCursor(["only-one"])],
    [
      "a column that is not text",
      Buffer.from(JSON.stringify(["a", 1])).toString("base64url"),
    ],
  ])("%s is a validation error", (_name, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, 2);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe("validation");
  });
});
