// Versioned SQL migrations: src/db/migrations/NNN-name.sql, applied in order at start, each in its
// own transaction, recorded in schema_migrations. Safe with several instances starting at once:
// a transaction-scoped advisory lock serialises them. See docs/decisions/002-storage.md.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";

const MIGRATIONS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "migrations",
);
const LOCK_KEY = 727_001; // arbitrary, constant: "guestlist migrations"

/**
 * Migrations renamed after some databases applied them: new name → old name. A database that
 * recorded the old name has applied it; its record is renamed, and the file is not run again.
 * (Two files were numbered 002; the second, idempotent, became 006, the unused number.)
 */
export const RENAMED_MIGRATIONS: Readonly<Record<string, string>> = {
  "006-rate-budget-learning.sql": "002-rate-budget-learning.sql",
};

export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir))
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await tx.query(
      "create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())",
    );
    const done = new Set(
      (
        await tx.query<{ name: string }>("select name from schema_migrations")
      ).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const oldName = RENAMED_MIGRATIONS[file];
      if (oldName !== undefined && done.has(oldName)) {
        await tx.query(
          "update schema_migrations set name = $1 where name = $2",
          [file, oldName],
        );
        continue;
      }
      const sql = await readFile(join(dir, file), "utf8");
      await tx.exec(sql);
      await tx.query("insert into schema_migrations (name) values ($1)", [
        file,
      ]);
      applied.push(file);
    }
  });
  return applied;
}
