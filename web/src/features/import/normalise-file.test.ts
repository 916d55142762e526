import { describe, expect, test } from "vitest";
import { fixture } from "./fixtures.ts";
import { detectDelimiter, normaliseRecords } from "./normalise-file.ts";
import { parseCsvText } from "./parse-csv-text.ts";

describe("normalising spreadsheet exports", () => {
  test("the Excel fixture really has a BOM, CRLF line ends and semicolons", () => {
    const text = fixture("hr-report-excel.csv");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("\r\n");
    expect(detectDelimiter(text)).toBe(";");
  });

  test("detects tab, semicolon and comma delimiters, ignoring delimiters inside quotes", () => {
    expect(detectDelimiter("a\tb\tc\n1\t2\t3\n")).toBe("\t");
    expect(detectDelimiter('email;name\n"x,y@z.test";"Doe, Jane"\n')).toBe(";");
    expect(detectDelimiter("version:v1.0\nName,User name\nA,a@b.test\n")).toBe(
      ",",
    );
    expect(detectDelimiter("a|b\n1|2\n")).toBe("|");
  });

  test("skips title rows, blank lines and trailing empty columns and trims stray spaces", () => {
    const analysis = parseCsvText(fixture("hr-report-excel.csv"));
    expect(analysis.header).toEqual([
      "Employee #",
      "First Name",
      "Last Name",
      "Preferred Name",
      "Work Email",
      "Home Email",
      "Department",
    ]);
    expect(analysis.rows.map((r) => r[4])).toEqual([
      "ada@acme.test",
      "grace@acme.test",
      "ALAN@ACME.TEST",
    ]);
    expect(analysis.rows[0]?.[1]).toBe("Ada");
    expect(analysis.notes.join(" ")).toMatch(/2 title rows/);
    expect(analysis.notes.join(" ")).toMatch(/blank line/);
  });

  test("keeps quoted fields that contain the delimiter and line breaks", () => {
    const analysis = parseCsvText(fixture("hr-report-excel.csv"));
    expect(analysis.rows[0]?.[6]).toBe("R&D; Analytics");
    expect(analysis.rows[1]?.[6]).toBe("Navy\r\nReserve");
  });

  test("reports spreadsheet row numbers so admins can find the row", () => {
    const analysis = parseCsvText(fixture("hr-report-excel.csv"));
    // title, title, blank, header, Ada (5), Grace (6, two lines), blank, Alan (8)
    expect(analysis.rowNumbers).toEqual([5, 6, 8]);
  });

  test("drops the Entra version line and the template's example row", () => {
    const analysis = parseCsvText(fixture("entra-bulk-create.csv"));
    expect(analysis.header[0]).toBe("Name [displayName] Required");
    expect(analysis.rows.map((r) => r[1])).toEqual([
      "ada@acme.test",
      "grace@acme.test",
    ]);
    expect(analysis.notes).toEqual(
      expect.arrayContaining([
        "Skipped the Microsoft Entra template's version line.",
        "Skipped the Entra template's example row.",
      ]),
    );
  });

  test("removes a BOM from the first header cell and repeated header rows", () => {
    const file = normaliseRecords([
      ["\uFEFFemail", "first_name"],
      ["a@b.test", "A"],
      ["email", "first_name"],
      ["c@d.test", " C "],
    ]);
    expect(file.header).toEqual(["email", "first_name"]);
    expect(file.rows).toEqual([
      ["a@b.test", "A"],
      ["c@d.test", "C"],
    ]);
  });

  test("pads short rows and names unnamed columns that hold values", () => {
    const file = normaliseRecords([
      ["email", "first name", ""],
      ["a@b.test"],
      ["c@d.test", "C", "extra"],
    ]);
    expect(file.header).toEqual(["email", "first name", "Column 3"]);
    expect(file.rows[0]).toEqual(["a@b.test", "", ""]);
  });
});
