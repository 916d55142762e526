// "One house" for SQL: statement text lives only in repository modules (`*repository.ts`) and in
// the database layer (src/db/: the connection, migrations, seed, the named-parameter helper). This
// test parses every source file of the BFF with the TypeScript compiler and looks at its string
// and template literals only (comments are not part of the syntax tree, so prose in comments never
// counts); a literal that reads like SQL outside those places fails the test with file and line.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { expect, test } from "vitest";

const SRC = new URL(".", import.meta.url).pathname;

/**
 * Statement text, or a fragment that only SQL would contain. A match counts only when its first
 * word is all lower or all upper case (as SQL is written), so a sentence such as "Select a file
 * from your computer" does not.
 */
const SQL_PATTERNS: readonly RegExp[] = [
  /\bselect\s[\s\S]*?\bfrom\s+[a-z_]\w*\b/i,
  /\binsert\s+into\s+\w+/i,
  /\bupdate\s+\w+(\s+(as\s+)?\w+)?\s+set\s/i,
  /\bdelete\s+from\s+\w+/i,
  /\bon\s+conflict\b/i,
  /\bwith\s+\w+\s+as\s*\(/i,
  /\bfor\s+update\b(\s+of\s+\w+)?\s+skip\s+locked\b/i,
  // fragments: a snake_case column set or compared to null, now(), a literal or a parameter;
  // a numbered parameter with a cast
  /\b[a-z]\w*_\w+\s*(=|<>|<=|>=|<|>)\s*(null\b|now\(\)|'[^']*'|\$\d+\b|:[a-z]\w*\b)/i,
  /\$\d+::\w+/,
];

function readsLikeSql(match: string | undefined): boolean {
  const word = match?.match(/\w+/)?.[0];
  return (
    word !== undefined &&
    (word === word.toLowerCase() || word === word.toUpperCase())
  );
}

export interface SqlHit {
  line: number;
  text: string;
}

/** The string and template literals of `source` that read like SQL, with their 1-based line. */
export function findSql(source: string, fileName = "source.ts"): SqlHit[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
  );
  const hits: SqlHit[] = [];
  const check = (node: ts.Node, text: string) => {
    if (SQL_PATTERNS.some((p) => readsLikeSql(p.exec(text)?.[0])))
      hits.push({
        line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        text: text.replace(/\s+/g, " ").trim().slice(0, 80),
      });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      check(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      // `${…}` counts as a value: the text around it is what reads like SQL.
      check(
        node,
        [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(
          "x",
        ),
      );
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return hits;
}

/** Repository modules and the database layer may hold SQL; tests and fixtures are not scanned. */
export function mayHoldSql(path: string): boolean {
  return /(^|\/)[\w.-]*repository\.ts$/.test(path) || path.startsWith("db/");
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    const rel = relative(SRC, full).split(sep).join("/");
    if (e.isDirectory()) return rel === "test" ? [] : sources(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [rel] : [];
  });
}

test("the detector finds SQL in strings and templates, not in comments or prose", () => {
  const sample = [
    "// update invitations set state = 'failed' where id = $1 (a comment)",
    "/* select id from imports */",
    'const prose = "Select a file from your computer";',
    'const upper = "SELECT id FROM imports";',
    'const a = "select id from imports where tenant_id = $1";',
    "const b = `update import_batches set ${set}, lease_owner = null where id = $1`;",
    "const c = 'delete from request_limits';",
    "const d = `insert into audit_log (actor) values ($1) on conflict do nothing`;",
    "const e = `state = 'done', waiting_reason = null`;",
    "const f = `next_at = now() + $3::double precision * interval '1 millisecond'`;",
    'throw new Error("The import could not be updated; try again");',
  ].join("\n");
  expect(findSql(sample).map((h) => h.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
});

test("the detector would catch a statement added back to a pipeline step", () => {
  const step = readFileSync(join(SRC, "pipeline/batch-step.ts"), "utf8");
  expect(findSql(step)).toEqual([]);
  const withSql = `${step}\nexport const q = (db: Db) => db.query(\`update invitations set state = 'queued' where batch_id = $1\`, []);\n`;
  expect(findSql(withSql)).toHaveLength(1);
  expect(mayHoldSql("pipeline/batch-step.ts")).toBe(false);
  expect(mayHoldSql("pipeline/batches.repository.ts")).toBe(true);
  expect(mayHoldSql("features/members/repository.ts")).toBe(true);
  expect(mayHoldSql("db/migrate.ts")).toBe(true);
});

test("no SQL outside repository modules and src/db/", () => {
  const offenders = sources(SRC)
    .filter((path) => !mayHoldSql(path))
    .flatMap((path) =>
      findSql(readFileSync(join(SRC, path), "utf8"), path).map(
        (h) => `src/${path}:${h.line}: ${h.text}`,
      ),
    );
  expect(offenders).toEqual([]);
});
