// The engines storage tests run on: in-memory PGlite always, and a real PostgreSQL server when
// TEST_DATABASE_URL is set (scripts/test.sh starts a throwaway one). Each Postgres db gets its own
// schema, so parallel test files never see each other's rows.
import { randomBytes } from "node:crypto";
import { openDb, type Db } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { seedTenants } from "../db/seed.ts";
import { TEST_TENANTS } from "./build-test-app.ts";
import { inSchema } from "./schema-url.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const ENGINES: ("pglite" | "postgres")[] = TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

if (!TEST_DATABASE_URL) {
  console.log(
    "[bff storage tests] TEST_DATABASE_URL is not set: skipping the real-PostgreSQL runs (PGlite only).",
  );
}

export async function openTestDb(
  engine: "pglite" | "postgres",
  seed = true,
): Promise<Db> {
  let db: Db;
  if (engine === "pglite") {
    db = await openDb({});
  } else {
    if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const admin = await openDb({ databaseUrl: TEST_DATABASE_URL, poolSize: 1 });
    await admin.query(`create schema ${schema}`);
    // Extensions are per database: pg_trgm (migration 007) lives in public, on every schema's path,
    // so dropping one test's schema never takes it away from another.
    await admin
      .query("create extension if not exists pg_trgm schema public")
      .catch(() => undefined); // two test files racing to create it: one wins
    await admin.close();
    const inner = await openDb({
      databaseUrl: inSchema(TEST_DATABASE_URL, schema),
      poolSize: 8,
    });
    db = {
      ...inner,
      engine: inner.engine,
      async close() {
        await inner
          .query(`drop schema ${schema} cascade`)
          .catch(() => undefined);
        await inner.close();
      },
    };
  }
  await migrate(db);
  if (seed) await seedTenants(db, TEST_TENANTS);
  return db;
}
