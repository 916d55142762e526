import { describe, expect, test } from "vitest";
import { recallMapping, rememberMapping } from "./mapping-memory.ts";
import { fileProblem } from "./template.ts";

describe("remembered column mappings", () => {
  test("recalls a mapping for the same header set, regardless of case and spacing", () => {
    rememberMapping(["Name", "Contact", "Team"], { email: 1, fullName: 0 });
    expect(recallMapping(["name", "Contact ", "TEAM"])).toEqual({
      email: 1,
      fullName: 0,
    });
    expect(recallMapping(["Name", "Contact"])).toBeNull();
  });

  test("ignores stored values that are malformed or point outside the header", () => {
    localStorage.setItem(
      "guestlist.column-mapping:a|b",
      JSON.stringify({ email: 5 }),
    );
    expect(recallMapping(["a", "b"])).toBeNull();
    localStorage.setItem("guestlist.column-mapping:c|d", "{not json");
    expect(recallMapping(["c", "d"])).toBeNull();
  });
});

describe("files that cannot be imported", () => {
  test("asks for a CSV when given a spreadsheet", () => {
    expect(fileProblem({ name: "staff.xlsx", size: 1000 })).toMatch(
      /save it as CSV/,
    );
    expect(fileProblem({ name: "staff.numbers", size: 1000 })).toMatch(
      /save it as CSV/,
    );
  });

  test("refuses empty, oversized and unknown files, and accepts csv, tsv and txt", () => {
    expect(fileProblem({ name: "a.csv", size: 0 })).toMatch(/empty/);
    expect(fileProblem({ name: "a.csv", size: 51 * 1024 * 1024 })).toMatch(
      /larger than 50 MB/,
    );
    expect(fileProblem({ name: "a.pdf", size: 10 })).toMatch(
      /\.csv, \.tsv or \.txt/,
    );
    for (const name of ["a.csv", "b.TSV", "c.txt"])
      expect(fileProblem({ name, size: 10 })).toBeNull();
  });
});
