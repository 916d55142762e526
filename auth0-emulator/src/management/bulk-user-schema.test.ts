import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { bulkUserSchema } from "./bulk-user-schema.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const file = resolve(
  process.env.AUTH0_SPEC_DIR ?? resolve(repoRoot, "..", "shared", "auth0"),
  "bulk-user-import-schema.json",
);
const present = existsSync(file);
if (!present)
  console.warn(
    `[bulk-user-schema] skipped: ${file} not found (set AUTH0_SPEC_DIR)`,
  );

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "description")
        .map(([k, v]) => [k, withoutDescriptions(v)]),
    );
  }
  return value;
}

describe.skipIf(!present)("bulk-import schema transcription", () => {
  test("equals the official bulk-user-import-schema.json (descriptions aside)", () => {
    expect(bulkUserSchema).toEqual(
      withoutDescriptions(JSON.parse(readFileSync(file, "utf8"))),
    );
  });
});
