// @vitest-environment node
// Parse + normalise + recognise + validate, against bare papaparse on the same text.
// Run with `pnpm --filter @app/web bench:parse`. The in-browser figures (worker, longest main-thread
// task) come from `pnpm bench:csv` in Chromium.
import Papa from "papaparse";
import { bench, describe } from "vitest";
import { parseCsvText } from "./parse-csv-text.ts";
import { checkRows } from "./row-checks.ts";
import { validateRows } from "./validate-rows.ts";

function generate(rows: number): string {
  const lines = ["Employee #;First Name;Last Name;Work Email;Department"];
  for (let i = 0; i < rows; i += 1)
    lines.push(
      `${i};Given${i};Family${i};person${i}@acme.test;"R&D; Team ${i % 7}"`,
    );
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

for (const size of [10_000, 100_000]) {
  const text = generate(size);
  describe(`${size.toLocaleString("en")} rows`, () => {
    bench(
      "papaparse only",
      () => {
        Papa.parse<string[]>(text, { delimiter: ";" });
      },
      { iterations: 5 },
    );
    bench(
      "guestlist: parse + normalise + detect + columnar checks (the worker)",
      () => {
        const analysis = parseCsvText(text);
        checkRows(
          analysis.rows,
          analysis.rowNumbers,
          analysis.detection.mapping,
        );
      },
      { iterations: 5 },
    );
    bench(
      "guestlist before: parse + normalise + detect + zod per row",
      () => {
        const analysis = parseCsvText(text);
        validateRows(
          analysis.rows,
          analysis.rowNumbers,
          analysis.detection.mapping,
        );
      },
      { iterations: 5 },
    );
  });
}
