// PGlite in its own process (npm start's default), served over the Postgres wire protocol by
// @electric-sql/pglite-socket, so the BFF's RSS does not carry PGlite's ≈ 430–450 MB (its
// shared_buffers=128MB is compiled in; docs/decisions/012-pglite-in-its-own-process.md).
// The BFF connects with DATABASE_URL=postgres://postgres@127.0.0.1:<port>/postgres and
// DATABASE_SINGLE_SESSION=1: pglite-socket runs every connection's messages in PGlite's one
// session, so exactly one connection is served (maxConnections 1) and the BFF's pool is 1.
//
//   node --import tsx src/db/pglite-server.ts [--data-dir DIR] [--port N] [--host H]
//   (default: in memory, 127.0.0.1:5432; --port 0 picks a free one)
//
// Prints one line `pglite-server ready postgres://…` on stdout once it accepts connections; stops
// on SIGTERM/SIGINT (closes the port, then PGlite, which flushes the data dir).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export interface PgliteServer {
  /** postgres://postgres@host:port/postgres */
  readonly url: string;
  readonly port: number;
  /** connections attached now (0 or 1) */
  connections(): number;
  close(): Promise<void>;
}

/** Opens PGlite on dataDir (absent: in memory) exactly as db.ts does and serves it on host:port. */
export async function startPgliteServer(options: {
  dataDir?: string | undefined;
  port?: number;
  host?: string;
}): Promise<PgliteServer> {
  const host = options.host ?? "127.0.0.1";
  const { dataDir } = options;
  // Same options as openPglite in db.ts: pg_trgm for the members search (migration 007).
  if (dataDir) await mkdir(dirname(dataDir), { recursive: true });
  const db = dataDir
    ? new PGlite(dataDir, { extensions: { pg_trgm } })
    : new PGlite({ extensions: { pg_trgm } });
  await db.waitReady;
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    // One PGlite session: a second connection's statements could land inside the first one's
    // open transaction (pglite-socket queues all connections' messages into it).
    maxConnections: 1,
  });
  let port = 0;
  server.addEventListener("listening", (event) => {
    port = (event as CustomEvent<{ port: number }>).detail.port;
  });
  await server.start();
  let closing: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    connections: () => server.getStats().activeConnections,
    close: () =>
      (closing ??= (async () => {
        await server.stop();
        await db.close();
      })()),
  };
}

const isMain =
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain) {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    },
  });
  const dataDir = values["data-dir"];
  const server = await startPgliteServer({
    dataDir: dataDir ? resolve(dataDir) : undefined,
    port: Number(values.port ?? 5432),
    host: values.host ?? "127.0.0.1",
  });
  console.log(`pglite-server ready ${server.url}`);
  const stop = (signal: string) => {
    console.log(`pglite-server stopping (${signal})`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("pglite-server: close failed", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
