// One database interface over two engines with the same Postgres semantics: embedded PGlite
// (default, data in ./.data) and a real PostgreSQL server when DATABASE_URL is set.
// Everything else in the BFF talks SQL through `Db`; nothing keeps pipeline state only in memory.
import {
  parse as pgliteParse,
  PGlite,
  protocol,
  type PGliteOptions,
} from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import pg from "pg";
import { AppError, isDatabaseUnavailable } from "../errors.ts";
import {
  PreparedStatements,
  runGeneric,
  type QueryOptions,
} from "./generic-plans.ts";

export type { QueryOptions } from "./generic-plans.ts";

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
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
  /** how long a query waits for a new connection before failing (ms); default 5,000 */
  connectTimeoutMs?: number;
  /**
   * Told about errors of connections nobody is waiting on (the server restarted, failed over or
   * terminated them). Without a listener, node-postgres' pool re-emits them as an unhandled
   * 'error' event and the process dies (docs/decisions/008-database-outages.md).
   */
  onConnectionError?: (error: Error) => void;
  /** Send statements with parameters as named prepared statements (default true; both engines). */
  namedStatements?: boolean;
  /**
   * The server runs every connection in one session: PGlite in its own process behind
   * @electric-sql/pglite-socket (src/db/pglite-server.ts, docs/decisions/012-pglite-in-its-own-process.md).
   * Forces one pooled connection (a poolSize above 1 is refused) and resets the session on every
   * (re)connection, since it outlives the connections.
   */
  singleSession?: boolean;
}

export async function openDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : openPglite(options.dataDir, options.namedStatements !== false);
}

/** Seconds a client is asked to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// The server is unreachable or refusing work for now; the same statement may succeed later.
// SQLSTATE class 08 (connection exception), 57P01-57P03 (administrator shutdown, crash shutdown,
// "the database system is starting up / shutting down"), 53300 (too many connections), 25006 (a
// read-only transaction: during a failover the old primary may still answer as a replica).
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300|25006)$/;
// Socket errors, and node-postgres' own messages for a connection that died or never came up.
const UNAVAILABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/** True when `error` says the database server is away, not that the statement was wrong. */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string")
    return UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code);
  if (error instanceof AggregateError)
    return error.errors.some((e) => isConnectionLost(e));
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/** The error every caller sees while the database is away: 503 `database_unavailable`. */
export function databaseUnavailable(cause: unknown): AppError {
  const reason =
    cause instanceof Error && cause.message
      ? cause.message
      : "no connection to the database";
  return new AppError(
    "database_unavailable",
    "The database is temporarily unavailable; try again shortly",
    undefined,
    {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      cause: new Error(reason, { cause }),
    },
  );
}

function translate(error: unknown): unknown {
  return isConnectionLost(error) ? databaseUnavailable(error) : error;
}

async function translated<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (error) {
    throw translate(error);
  }
}

async function openPglite(
  dataDir: string | undefined,
  namedStatements: boolean,
): Promise<Db> {
  // A fresh clone has no ./.data yet: PGlite only creates the last path segment.
  if (dataDir) await mkdir(dirname(dataDir), { recursive: true });
  // pg_trgm: the members search's trigram indexes (migration 007).
  const options: PGliteOptions = { extensions: { pg_trgm } };
  const lite = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
  await lite.waitReady;
  await lite.exec(QUIET_PGLITE);
  // Plans stay custom, as on Postgres (withCustomPlans): PGlite is one session.
  if (namedStatements)
    await lite.exec("set plan_cache_mode = force_custom_plan");
  const run = async <T>(
    q: Pick<PGlite, "query">,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<T>> => {
    const r = await q.query<T>(sql, params);
    return { rows: r.rows, rowCount: r.affectedRows || r.rows.length }; // PGlite reports 0 affected rows for a SELECT
  };
  const named = namedStatements ? pgliteNamedStatements(lite) : null;
  // generic-plans.ts: one session, its prepared statements
  const generic = {
    prepared: new PreparedStatements(),
    simple: (sql: string) => lite.exec(sql),
  };
  const query = async <T>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<T>> =>
    options?.genericPlan && namedStatements
      ? runGeneric<T>(generic, sql, params ?? [], options.genericPlan.inline)
      : (params?.length && (await named?.<T>(sql, params))) ||
        run<T>(lite, sql, params);
  return {
    engine: "pglite",
    query,
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

/**
 * PGlite's `query()` sends parse, describe, bind, describe, execute and sync for every call, so
 * every call parses and analyses its text again. Here a text with parameters is parsed once into a
 * named statement (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY)
 * and then only bound and executed, through PGlite's public protocol API (`runExclusive`,
 * `execProtocolStream`, `protocol.serialize`, `parse.parseResults`; https://pglite.dev/docs/api).
 * The members page sends the same few texts over and over (docs/benchmarks.md).
 *
 * `runExclusive` only excludes other statements, not other transactions: PGlite is one session,
 * and a `transaction()` of another caller holds it between its statements. Inside `runExclusive`
 * no BEGIN or COMMIT can run, so `isInTransaction()` is stable there; when it is true the call
 * answers undefined and the caller takes PGlite's own `query()`, which waits for that transaction.
 * Also undefined: texts past MAX_NAMED_STATEMENTS, and a text whose cached plan broke (SQLSTATE
 * 0A000, a schema change under a running process), which is sent unnamed from then on.
 */
function pgliteNamedStatements(
  lite: PGlite,
): <T>(sql: string, params: unknown[]) => Promise<QueryResult<T> | undefined> {
  const statements = new Map<
    string,
    { name: string; types: number[] } | null
  >();
  const send = (message: Uint8Array) =>
    lite.execProtocolStream(message, { syncToFs: false });
  const { serialize } = protocol;
  return async <T>(sql: string, params: unknown[]) => {
    const known = statements.get(sql);
    if (known === null) return undefined;
    if (known === undefined && statements.size >= MAX_NAMED_STATEMENTS)
      return undefined;
    const outcome = await lite.runExclusive(async () => {
      if (lite.isInTransaction()) return undefined;
      let statement = statements.get(sql);
      const messages: Awaited<ReturnType<typeof send>> = [];
      try {
        if (statement === undefined) {
          const name = `gl_${createHash("sha1").update(sql).digest("hex")}`;
          await send(serialize.parse({ name, text: sql }));
          const described = await send(serialize.describe({ type: "S", name }));
          statement = {
            name,
            types: pgliteParse.parseDescribeStatementResults(described),
          };
          statements.set(sql, statement);
        }
        if (statement === null) return undefined;
        const { name, types } = statement;
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = lite.serializers[types[i] ?? 0];
          // as PGlite's query(): its serializer for the parameter's type, else toString()
          return serializer
            ? serializer(value)
            : (value as { toString(): string }).toString();
        });
        // One by one, not push(...spread): a statement's result can be 100,000 protocol messages,
        // more arguments than one call may take ("Maximum call stack size exceeded").
        for (const message of [
          serialize.bind({ statement: name, values }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
        ])
          for (const reply of await send(message)) messages.push(reply);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "0A000") throw error;
        statements.set(sql, null);
        return "unnamed" as const;
      } finally {
        await send(serialize.sync());
      }
      if (!lite.isInTransaction()) await lite.syncToFs();
      const r = pgliteParse.parseResults(messages, lite.parsers)[0];
      return {
        rows: (r?.rows ?? []) as T[],
        rowCount: r?.affectedRows || r?.rows.length || 0, // 0 affected rows for a SELECT
      };
    });
    return outcome === "unnamed" ? undefined : outcome;
  };
}

/**
 * Named statements keep their parse tree but are planned for every execution with its values: a
 * generic plan (plan_cache_mode auto, after five executions) estimates `tenant_id = $1` from the
 * column's average: for the members list's `state=blocked` and `state=removed` at 100,000 people
 * in one tenant it walked all the tenant's invitations, 0.5–1.2 s instead of 2–8 ms
 * (docs/benchmarks.md, members). The one exception, on PGlite only: statements run with the
 * `genericPlan` option, whose plan-steering values are in their text (generic-plans.ts, ADR 016).
 * Set as a startup parameter
 * (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS), added to
 * the URL's own `options` (the tests' search_path); a string that is not a URL is left alone.
 */
function withCustomPlans(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return connectionString;
  }
  const own = url.searchParams.get("options");
  url.searchParams.set(
    "options",
    `${own ? `${own} ` : ""}-c plan_cache_mode=force_custom_plan`,
  );
  return url.toString();
}

/** Distinct statement texts a process names (prepares) on its connections; later ones run unnamed. */
const MAX_NAMED_STATEMENTS = 1000;

/**
 * PGlite's session starts with `client_min_messages = debug3`: every statement sends its debug
 * lines to the client as notices, which PGlite hands to JavaScript and parses (and, over
 * pglite-socket, sends on the wire). Postgres' default is `notice`; warnings still reach us
 * (https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-CLIENT-MIN-MESSAGES).
 */
const QUIET_PGLITE = "set client_min_messages = warning";

/**
 * Run on every new connection of a single-session server (pglite-socket): the session outlives the
 * connection, so a reconnecting client (after a lost connection, or a restarted BFF) would find the
 * previous connection's prepared statements (42P05 "prepared statement … already exists" on its
 * first named statement) and settings. DISCARD ALL drops them and any session advisory locks
 * (https://www.postgresql.org/docs/current/sql-discard.html); pglite-socket rolls back an open
 * transaction of a connection that went away. It also ignores startup parameters, so the URL's
 * `options` (withCustomPlans) are set here by statement.
 */
function sessionReset(namedStatements: boolean): string[] {
  // Separate statements: DISCARD ALL cannot run in the implicit transaction of a multi-statement query.
  // DISCARD ALL also resets search_path to the backend's start value, which PGlite sets to
  // pg_catalog (its own session then runs `SET search_path TO public`): without the SET the BFF's
  // tables would be created in pg_catalog (where pg_dump does not look) instead of public.
  return [
    "discard all",
    "set search_path to public",
    QUIET_PGLITE,
    ...(namedStatements ? ["set plan_cache_mode = force_custom_plan"] : []),
  ];
}

/** pg.Client whose connection attempt (TCP and startup) gives up after timeoutMs. */
function connectTimeoutClient(timeoutMs: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: timeoutMs });
    }
  };
}

async function openPostgres(
  connectionString: string,
  options: DbOptions,
): Promise<Db> {
  if (options.singleSession && (options.poolSize ?? 1) > 1)
    throw new Error(
      `a single-session database (pglite-socket) takes one connection; poolSize ${options.poolSize} would interleave transactions`,
    );
  const singleSessionReset = options.singleSession
    ? sessionReset(options.namedStatements !== false)
    : undefined;
  const pool = new pg.Pool({
    connectionString:
      options.namedStatements === false
        ? connectionString
        : withCustomPlans(connectionString),
    max: options.singleSession ? 1 : (options.poolSize ?? 10),
    // The default (0) waits for ever: a failover that black-holes the old address would hang
    // every request instead of answering 503. pg-pool also applies it to waiting for a busy
    // connection; with a single session everything queues on one connection (as inside in-process
    // PGlite), so there it bounds only opening the connection (pg.Client's own timeout).
    connectionTimeoutMillis: options.singleSession
      ? 0
      : (options.connectTimeoutMs ?? 5_000),
    // Notices a silently dead server (network partition) on idle and busy connections.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(singleSessionReset
      ? {
          // Keep the one connection: the server takes one at a time, and a reconnection right
          // after an idle close can arrive before the server has let the old one go.
          idleTimeoutMillis: 0,
          Client: connectTimeoutClient(options.connectTimeoutMs ?? 5_000),
          // pg-pool awaits this hook before handing out a new connection and fails the connect if
          // it throws (@types/pg types it as returning void).
          // eslint-disable-next-line @typescript-eslint/no-misused-promises -- awaited by pg-pool
          onConnect: async (client: pg.ClientBase) => {
            for (const sql of singleSessionReset) await client.query(sql);
          },
        }
      : {}),
  });
  // An idle or checked-out connection the server terminated (57P01 on restart, a failover, a
  // network drop) is removed by the pool and reported here; the next query opens a new one.
  pool.on("error", (error) => options.onConnectionError?.(error));
  // Fail fast with a clear message when the server is unreachable.
  await pool.query("select 1");
  // Statements with parameters are named prepared statements: each connection parses and analyses
  // a text once (https://www.postgresql.org/docs/current/sql-prepare.html); plans stay custom
  // (withCustomPlans). The members page sends the same few texts over and over
  // (docs/benchmarks.md). A text whose cached plan broke (SQLSTATE 0A000 "cached plan must not
  // change result type" after a schema change under a running process) is sent unnamed from then on.
  const names = new Map<string, string | null>();
  const nameOf = (sql: string): string | null => {
    let name = names.get(sql);
    // Texts with values built in would each leave a statement on every connection: a bound.
    if (name === undefined && names.size >= MAX_NAMED_STATEMENTS) return null;
    if (name === undefined) {
      name = `gl_${createHash("sha1").update(sql).digest("hex").slice(0, 40)}`;
      names.set(sql, name);
    }
    return name;
  };
  const run = async <T>(
    q: pg.Pool | pg.PoolClient,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<T>> => {
    const name =
      options.namedStatements !== false && params?.length ? nameOf(sql) : null;
    const r = await translated(
      name
        ? q
            .query({ name, text: sql, values: params })
            .catch((error: unknown) => {
              if ((error as { code?: unknown }).code !== "0A000") throw error;
              names.set(sql, null);
              return q.query(sql, params);
            })
        : q.query(sql, params),
    );
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  };
  // Scripts of several statements (migrations): node-postgres answers with one result per statement.
  const exec = async (q: pg.Pool | pg.PoolClient, sql: string) => {
    await translated(q.query(sql));
  };
  /**
   * fn on one pooled connection. A connection that died meanwhile must not go back to the pool:
   * release(error) destroys it; after any other error `otherwise` runs first (a transaction's
   * rollback), and its own failure is ignored.
   */
  const onOneConnection = async <T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    otherwise?: (client: pg.PoolClient) => Promise<void>,
  ): Promise<T> => {
    const client = await translated(pool.connect());
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      if (isDatabaseUnavailable(error) || isConnectionLost(error))
        broken = error instanceof Error ? error : new Error(String(error));
      else await otherwise?.(client).catch(() => undefined);
      throw translate(error);
    } finally {
      client.release(broken);
    }
  };
  // PGlite's server (one session): statements that allow it keep one generic plan there
  // (generic-plans.ts). A PostgreSQL server plans every call with its values (withCustomPlans).
  const genericPlans =
    options.singleSession === true && options.namedStatements !== false;
  const preparedOn = new WeakMap<pg.PoolClient, PreparedStatements>();
  const runGenericPlan = async <T>(
    sql: string,
    params: unknown[],
    inline: readonly number[],
  ): Promise<QueryResult<T>> =>
    onOneConnection(async (client) => {
      let prepared = preparedOn.get(client);
      if (!prepared) {
        prepared = new PreparedStatements();
        preparedOn.set(client, prepared);
      }
      const simple = async (text: string) => {
        // several statements: node-postgres answers with one result per statement
        const answer: pg.QueryResult | pg.QueryResult[] =
          await client.query(text);
        const results: pg.QueryResult[] = Array.isArray(answer)
          ? (answer as pg.QueryResult[])
          : [answer];
        return results.map((r) => ({
          rows: r.rows,
          affectedRows: r.rowCount ?? 0,
        }));
      };
      return runGeneric<T>({ prepared, simple }, sql, params, inline);
    });
  return {
    engine: "postgres",
    query: (sql, params, queryOptions) =>
      queryOptions?.genericPlan && genericPlans
        ? runGenericPlan(sql, params ?? [], queryOptions.genericPlan.inline)
        : run(pool, sql, params),
    exec: (sql) => exec(pool, sql),
    transaction: (fn) =>
      onOneConnection(
        async (client) => {
          await run(client, "begin");
          const result = await fn({
            query: (sql, params) => run(client, sql, params),
            exec: (sql) => exec(client, sql),
          });
          // A commit whose answer is lost may or may not have happened: callers whose writes
          // follow an outside effect keep them idempotent (pipeline/settle.ts).
          await run(client, "commit");
          return result;
        },
        (client) => client.query("rollback").then(() => undefined),
      ),
    close: () => pool.end(),
  };
}
