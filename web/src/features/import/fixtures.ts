// Test-only: the fixture files, byte for byte (BOM and CRLF included), and the preview body's
// columns read back as rows.
import type { PreviewColumns, UncheckedPersonRow } from "@app/bff/contract";
const files = import.meta.glob<string>("./fixtures/*", {
  query: "?raw",
  import: "default",
  eager: true,
});

export function fixture(name: string): string {
  const text = files[`./fixtures/${name}`];
  if (text === undefined) throw new Error(`No fixture named ${name}`);
  return text;
}

/** The rows of the preview's columnar body (PreviewColumns), as the objects RowChecks.inputs() gives. */
export function rowsOfColumns(body: PreviewColumns): UncheckedPersonRow[] {
  return body.email.map((email, i) => {
    const row: UncheckedPersonRow = { email };
    for (const field of [
      "givenName",
      "familyName",
      "role",
      "locale",
    ] as const) {
      const value = body[field]?.[i];
      if (value !== undefined && value !== null) row[field] = value;
    }
    return row;
  });
}
