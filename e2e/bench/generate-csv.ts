// HR-style CSV like a European Excel export: UTF-8 BOM, ";" delimiter, CRLF, a quoted department
// with the delimiter in it, accented names, and a few rows a person would have to fix: every 500th
// email is invalid and every 1,000th row repeats the previous person's email in capitals.
const GIVEN = ["Ada", "Zoë", "José", "Mia", "Noah", "Chloé", "Jürgen", "Amara"];
const FAMILY = ["Lovelace", "Müller", "García", "O'Neil", "Nakamura", "Dubois"];
const DEPARTMENTS = ["Sales", "R&D; Platform", "People & Culture", "Finance"];

function ascii(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

function given(i: number): string {
  return GIVEN[i % GIVEN.length] ?? "";
}

function family(i: number): string {
  return FAMILY[(i * 7) % FAMILY.length] ?? "";
}

function email(i: number): string {
  return `${ascii(given(i))}.${ascii(family(i))}.${10_000 + i}@acme.test`;
}

/** What validation should find in a file of `rows` rows. */
export function expectedProblems(rows: number): {
  invalid: number;
  duplicates: number;
} {
  return {
    invalid: Math.floor(rows / 500),
    duplicates: Math.floor((rows + 750) / 1000),
  };
}

export function generateHrCsv(rows: number): string {
  const lines = [
    "Employee #;First Name;Last Name;Work Email;Department;Start Date",
  ];
  for (let i = 1; i <= rows; i += 1) {
    let address = email(i);
    if (i % 500 === 0) address = `${ascii(given(i))}.${ascii(family(i))}@`;
    else if (i % 1000 === 250) address = email(i - 1).toUpperCase();
    const department = DEPARTMENTS[i % DEPARTMENTS.length] ?? "";
    const start = `2024-${String((i % 12) + 1).padStart(2, "0")}-01`;
    lines.push(
      `${10_000 + i};${given(i)};${family(i)};${address};"${department}";${start}`,
    );
  }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}
