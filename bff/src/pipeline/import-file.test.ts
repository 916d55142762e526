import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import {
  checkBulkUser,
  chunkBySize,
  fileBytes,
  MAX_FILE_BYTES,
  newAuth0UserId,
  toBulkUser,
  type PendingUser,
} from "./import-file.ts";

const repoRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
);
const specDir =
  process.env.AUTH0_SPEC_DIR ?? resolve(repoRoot, "..", "shared", "auth0");
const schemaFile = resolve(specDir, "bulk-user-import-schema.json");
// Auth0's published schema (Auth0 docs: Bulk User Import Database Schema) is read from AUTH0_SPEC_DIR;
// a clone without that folder skips the
// checks against it, visibly. CI always has it.
const itemSchema = existsSync(schemaFile)
  ? (JSON.parse(readFileSync(schemaFile, "utf8")) as object)
  : null;
if (!itemSchema)
  console.log(`[import-file] spec checks skipped: no Auth0 spec at ${specDir}`);

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile({ type: "array", items: itemSchema ?? {} });
}

function row(i: number, extra: Partial<PendingUser> = {}): PendingUser {
  return {
    userId: newAuth0UserId(),
    email: `person.${i}.with-a-rather-long-address@subdivision.example-company.test`,
    givenName: `Given${i}`,
    familyName: "Family-Name-That-Is-Quite-Long".repeat(4),
    role: "admin",
    locale: "fr-CA",
    ...extra,
  };
}

describe("import files", () => {
  test.skipIf(!itemSchema)(
    "users follow the official bulk-import schema and carry our user_id and tenant",
    () => {
      const users = Array.from({ length: 50 }, (_, i) =>
        toBulkUser(row(i), "acme"),
      );
      const validate = validator();
      expect(validate(users), JSON.stringify(validate.errors)).toBe(true);
      const first = users[0];
      expect(first?.email_verified).toBe(false);
      expect(first?.app_metadata.tenant_id).toBe("acme");
      expect(first?.user_id).toMatch(/^[0-9a-f]{24}$/);
      expect(users.every((u) => checkBulkUser(u) === null)).toBe(true);
    },
  );

  test.skipIf(!itemSchema)(
    "the schema check rejects a field Auth0 does not accept",
    () => {
      const user = {
        ...toBulkUser(row(1), "acme"),
        password: "x",
      } as unknown as Parameters<typeof checkBulkUser>[0];
      expect(validator()([user])).toBe(false);
      expect(checkBulkUser(user)).toMatch(/unexpected field/);
    },
  );

  test("chunks 10,000 users into files of at most 500 KB, each schema-valid, none lost", () => {
    const users = Array.from({ length: 10_000 }, (_, i) =>
      toBulkUser(row(i), "acme"),
    );
    const sizes = chunkBySize(users);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sizes.length).toBeGreaterThan(1);
    const validate = validator();
    let offset = 0;
    for (const n of sizes) {
      const file = users.slice(offset, offset + n);
      offset += n;
      const bytes = Buffer.byteLength(JSON.stringify(file));
      expect(bytes).toBe(fileBytes(file));
      expect(bytes).toBeLessThanOrEqual(MAX_FILE_BYTES);
      if (itemSchema) expect(validate(file)).toBe(true);
    }
    // files are filled: all but the last are close to the limit
    expect(fileBytes(users.slice(0, sizes[0]))).toBeGreaterThan(
      MAX_FILE_BYTES - 1_000,
    );
  });

  test("a small first file (firstMax), then full files", () => {
    const users = Array.from({ length: 10_000 }, (_, i) =>
      toBulkUser(row(i), "acme"),
    );
    const full = chunkBySize(users);
    const sizes = chunkBySize(users, MAX_FILE_BYTES, 100);
    expect(sizes[0]).toBe(100);
    expect(full[0]).toBeGreaterThan(100);
    expect(fileBytes(users.slice(100, 100 + (sizes[1] ?? 0)))).toBeGreaterThan(
      MAX_FILE_BYTES - 1_000,
    );
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(chunkBySize(users.slice(0, 40), MAX_FILE_BYTES, 100)).toEqual([40]);
  });
});
