// The repository explains itself: no tracked file cites a design or fact sheet kept outside it.
// Cite docs/architecture.md, an ADR, auth0-emulator/README.md, or Auth0's public documentation by
// name instead. Decision records (docs/decisions/) are history and may keep what they said.
// Run by scripts/test.sh with Node's test runner (`tsx --test`).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";

const root = resolve(import.meta.dirname, "..");
// Built from parts so this file does not match itself.
const forbidden = [
  ["shared", "docs"].join("/"),
  "design" + ".md",
  "auth0" + "-facts",
];

void test("no tracked file cites a document outside the repository", () => {
  const files = execFileSync("git", ["ls-files", "-z"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter(
      (f) =>
        f &&
        !f.startsWith("docs/decisions/") &&
        !/\.(png|jpe?g|gif|ico|woff2?)$/.test(f),
    );
  const hits: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(root, file), "utf8");
    } catch {
      continue; // listed but absent (deleted in the work tree)
    }
    text.split("\n").forEach((line, i) => {
      for (const word of forbidden) {
        if (line.includes(word)) hits.push(`${file}:${i + 1}: ${word}`);
      }
    });
  }
  assert.deepEqual(
    hits,
    [],
    "cite an in-repo doc or Auth0's public docs instead",
  );
});
