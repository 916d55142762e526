// One database interface over two engines with the same Postgres semantics: embedded PGlite
// (default, data in ./.data) and a real PostgreSQL server when DATABASE_URL is set.
// Everything else in the BFF talks SQL through `Db`; nothing keeps pipeline state only in memory.
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import pg from "pg";

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** Runs fn in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly engine: "pglite" | "postgres";
}

export interface DbOptions {
  /** postgres://… — a real server. Absent: embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; absent means in-memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function openDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  // A fresh clone has no ./.data yet: PGlite only creates the last path segment.
  if (dataDir) await mkdir(dirname(dataDir), { recursive: true });
  // pg_trgm: the members search's trigram indexes (migration 007).
  const options: PGliteOptions = { extensions: { pg_trgm } };
  const lite = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
  await lite.waitReady;
  const run = async <T>(
    q: Pick<PGlite, "query">,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<T>> => {
    const r = await q.query<T>(sql, params);
    return { rows: r.rows, rowCount: r.affectedRows || r.rows.length }; // PGlite reports 0 affected rows for a SELECT
  };
  return {
    engine: "pglite",
    query: (sql, params) => run(lite, sql, params),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: (sql, params) => run(tx, sql, params),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: () => lite.close(),
  };
}

async function openPostgres(
  connectionString: string,
  max: number,
): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max });
  // Fail fast with a clear message when the server is unreachable.
  await pool.query("select 1");
  const run = async <T>(
    q: pg.Pool | pg.PoolClient,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<T>> => {
    const r = await q.query(sql, params);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  };
  return {
    engine: "postgres",
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
