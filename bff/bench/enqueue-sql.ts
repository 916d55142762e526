// pnpm exec tsx bench/enqueue-sql.ts [--n 10000] [--runs 3] — the import's POST without HTTP:
// enqueueImport (pipeline/enqueue.ts) of N rows into PGlite on disk (all migrations), or Postgres
// with DATABASE_URL (a fresh schema per run). Prints the wall ms of each kind of statement, summed,
// per run: where the import's POST spends its time (issue 14, time to the first email).
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, type Db, type Queryable } from "../src/db/db.ts";
import { migrate } from "../src/db/migrate.ts";
import { enqueueImport } from "../src/pipeline/enqueue.ts";
import { inSchema } from "../src/test/schema-url.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg("n", 10_000);
const RUNS = arg("runs", 3);
const URL = process.env.DATABASE_URL;

const timing = new Map<string, { ms: number; count: number }>();
const key = (sql: string): string =>
  sql.replace(/\s+/g, " ").trim().slice(0, 70);
function timed(q: Queryable): Queryable {
  return {
    async query(sql, params) {
      const s = performance.now();
      try {
        return await q.query(sql, params);
      } finally {
        const t = timing.get(key(sql)) ?? { ms: 0, count: 0 };
        t.ms += performance.now() - s;
        t.count++;
        timing.set(key(sql), t);
      }
    },
    exec: (sql) => q.exec(sql),
  };
}

async function open(): Promise<{ db: Db; done: () => Promise<void> }> {
  if (!URL) {
    const dir = mkdtempSync(join(tmpdir(), "enqueue-sql-"));
    const db = await openDb({ dataDir: join(dir, "db") });
    return {
      db,
      done: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `b_${randomBytes(6).toString("hex")}`;
  const admin = await openDb({ databaseUrl: URL, poolSize: 1 });
  await admin.query(`create schema ${schema}`);
  await admin
    .query("create extension if not exists pg_trgm schema public")
    .catch(() => undefined);
  const db = await openDb({ databaseUrl: inSchema(URL, schema), poolSize: 4 });
  return {
    db,
    done: async () => {
      await db.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
}

const { db, done } = await open();
// UPTO=011: migrate only up to that number (the schema before a later migration), for A/B runs.
const UPTO = process.env.UPTO;
if (UPTO) {
  const from = join(import.meta.dirname, "../src/db/migrations");
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  for (const f of readdirSync(from))
    if (f.slice(0, 3) <= UPTO) cpSync(join(from, f), join(dir, f));
  await migrate(db, dir);
  rmSync(dir, { recursive: true, force: true });
} else await migrate(db);
await db.query(
  `insert into tenants (id, name, seat_limit) values ('acme', 'Acme Corp', 10000000)`,
);
// Experiments (env): DROP=index,index… drops those indexes; NOTRIG=name,name… drops those triggers.
for (const ix of (process.env.DROP ?? "").split(",").filter(Boolean))
  await db.exec(`drop index ${ix}`);
for (const tg of (process.env.NOTRIG ?? "").split(",").filter(Boolean))
  await db.exec(`drop trigger ${tg} on invitations`);
const inner: Db = db;
const wrapped: Db = {
  ...timed(inner),
  engine: inner.engine,
  close: () => inner.close(),
  transaction: (fn) => inner.transaction((tx) => fn(timed(tx))),
};
for (let run = 0; run < RUNS; run++) {
  timing.clear();
  const rows = Array.from({ length: N }, (_, i) => ({
    email: `r${run}.p${i}@acme.test`,
    givenName: `Person${i}`,
    familyName: "Bench",
    role: "member" as const,
  }));
  const s = performance.now();
  const cpu0 = process.cpuUsage();
  await enqueueImport(wrapped, {
    tenantId: "acme",
    idempotencyKey: `k-${run}`,
    actor: { sub: "admin", email: "admin@acme.test" },
    rows,
  });
  const total = performance.now() - s;
  const cpu = process.cpuUsage(cpu0);
  // On PGlite the database runs on this thread: CPU time is the cost, wall time adds the machine's load.
  console.log(
    `run ${run + 1}: ${N} rows in ${total.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU of this process (${inner.engine}, ${UPTO ? `migrations ≤ ${UPTO}` : "all migrations"})`,
  );
  const sorted = [...timing.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [k, v] of sorted.slice(0, 8))
    console.log(
      `  ${v.ms.toFixed(0).padStart(6)} ms ×${String(v.count).padStart(3)}  ${k}`,
    );
}
await done();
