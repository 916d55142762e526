import { describe, expect, test } from "vitest";
import {
  detectColumns,
  headerKey,
  type SourceFormat,
} from "./detect-columns.ts";
import { fixture } from "./fixtures.ts";
import { parseCsvText } from "./parse-csv-text.ts";
import { validateRows } from "./validate-rows.ts";

type Expectation = {
  file: string;
  source: SourceFormat;
  people: { email: string; givenName?: string; familyName?: string }[];
};

const EXPECTED: Expectation[] = [
  {
    file: "guestlist-template.csv",
    source: "guestlist",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
      { email: "alan@acme.test", givenName: "Alan", familyName: "Turing" },
    ],
  },
  {
    file: "google-workspace.csv",
    source: "google-workspace",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
      { email: "alan@acme.test", givenName: "Alan", familyName: "Turing" },
    ],
  },
  {
    file: "entra-bulk-create.csv",
    source: "entra",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      // no first/last name: split from "Name [displayName]"
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
    ],
  },
  {
    file: "entra-download-users.csv",
    source: "entra",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
    ],
  },
  {
    file: "okta-users.csv",
    source: "okta",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
      { email: "alan@acme.test", givenName: "Alan", familyName: "Turing" },
    ],
  },
  {
    file: "okta-bulk-template.csv",
    source: "okta",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
    ],
  },
  {
    file: "auth0-export.csv",
    source: "auth0",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      // no given/family name: the "name" column holds the email, which becomes the given name part
      { email: "grace@acme.test", givenName: "grace@acme.test" },
    ],
  },
  {
    file: "hr-report-excel.csv",
    source: "hr",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
      { email: "alan@acme.test", givenName: "Alan", familyName: "Turing" },
    ],
  },
  {
    file: "hr-workday.tsv",
    source: "hr",
    people: [
      { email: "ada@acme.test", givenName: "Ada", familyName: "Lovelace" },
      { email: "grace@acme.test", givenName: "Grace", familyName: "Hopper" },
    ],
  },
];

describe("column recognition on real export layouts", () => {
  for (const { file, source, people } of EXPECTED) {
    test(`recognises ${file} as ${source} and reads every person`, () => {
      const analysis = parseCsvText(fixture(file));
      expect(analysis.detection.source).toBe(source);
      expect(analysis.detection.confident).toBe(true);
      const { checks } = validateRows(
        analysis.rows,
        analysis.rowNumbers,
        analysis.detection.mapping,
      );
      expect(checks.map((c) => c.verdict)).toEqual(people.map(() => "ready"));
      const read = checks.map((c) => ({
        email: c.input.email?.toLowerCase(),
        ...(c.input.givenName ? { givenName: c.input.givenName } : {}),
        ...(c.input.familyName ? { familyName: c.input.familyName } : {}),
      }));
      expect(read).toEqual(people);
    });
  }

  test("prefers the work address over personal, recovery and manager addresses", () => {
    const headers = [
      "Personal Email",
      "Manager Email",
      "Recovery Email",
      "E-mail (work)",
      "Email Verified",
    ];
    expect(detectColumns(headers, []).mapping.email).toBe(3);
  });

  test("matches headers regardless of case, spaces, punctuation and accents", () => {
    expect(headerKey("  E-Mail_Address ")).toBe("emailaddress");
    expect(headerKey("Prénom")).toBe("prenom");
    expect(headerKey("First name [givenName]")).toBe("firstname");
    const detection = detectColumns(
      ["EMAIL ADDRESS", "first-name", "LAST_NAME"],
      [["a@b.test", "A", "B"]],
    );
    expect(detection.mapping).toEqual({
      email: 0,
      givenName: 1,
      familyName: 2,
    });
    expect(detection.confident).toBe(true);
  });

  test("recognises a role column as role, access or permission level", () => {
    for (const header of [
      "role",
      "Role",
      "Access",
      "Permission Level",
      "permission_level",
      "Access level",
    ]) {
      const detection = detectColumns(
        ["Email", "First name", header],
        [["a@b.test", "A", "admin"]],
      );
      expect(detection.mapping.role, header).toBe(2);
      expect(detection.confident).toBe(true);
    }
    expect(
      detectColumns(["Email", "Department"], [["a@b.test", "R&D"]]).mapping
        .role,
    ).toBeUndefined();
  });

  test("reads the role of each person in our template, blank as a member", () => {
    const analysis = parseCsvText(fixture("guestlist-template.csv"));
    const { checks } = validateRows(
      analysis.rows,
      analysis.rowNumbers,
      analysis.detection.mapping,
    );
    expect(checks.map((c) => c.input.role)).toEqual([
      undefined,
      "admin",
      undefined,
    ]);
  });

  test("asks for confirmation when the email column is only guessed from its values", () => {
    const analysis = parseCsvText(fixture("ambiguous.csv"));
    expect(analysis.detection.mapping.email).toBe(1);
    expect(analysis.detection.confident).toBe(false);
    expect(analysis.detection.doubts.join(" ")).toMatch(/guessed/);
  });

  test("asks for confirmation when two columns are equally good email candidates", () => {
    const detection = detectColumns(
      ["Email", "E-mail", "Name"],
      [["a@b.test", "a@b.test", "A"]],
    );
    expect(detection.confident).toBe(false);
  });

  test("reads a file without a header by the values in its columns", () => {
    const analysis = parseCsvText(fixture("headerless.csv"));
    expect(analysis.hasHeader).toBe(false);
    expect(analysis.rows).toHaveLength(2);
    expect(analysis.detection.mapping.email).toBe(0);
    expect(analysis.detection.confident).toBe(false);
  });
});
