import { expect, test } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

test.each(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])(
  "neutralises formula cell %j",
  (v) => {
    expect(csvCell(v).replace(/^"|"$/g, "").startsWith("'")).toBe(true);
  },
);

test("leaves plain cells alone and quotes separators", () => {
  expect(csvCell("ann@acme.test")).toBe("ann@acme.test");
  expect(csvCell('a,"b"')).toBe('"a,""b"""');
  expect(toCsv(["row", "email"], [[1, "=HYPERLINK()"]])).toBe(
    "row,email\r\n1,'=HYPERLINK()\r\n",
  );
});
