// Runs src/db/pglite-server.ts (PGlite behind pglite-socket) as a child process, for the benchmark
// with `--pglite-process` (docs/decisions/012-pglite-in-its-own-process.md).
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BFF_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
);

export interface PgliteServerProcess {
  child: ChildProcess;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  output: () => string;
  /** SIGTERM, then waits for the exit (PGlite closes its data dir) */
  stop(): Promise<void>;
}

/** Starts the server on a free port with its data in dataDir; resolves once it prints ready. */
export async function startPgliteServerProcess(
  dataDir: string,
): Promise<PgliteServerProcess> {
  let out = "";
  // node runs it with tsx as a loader: the pid is the database's own (its RSS is measured).
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/db/pglite-server.ts",
      "--data-dir",
      dataDir,
      "--port",
      "0",
    ],
    {
      cwd: BFF_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pglite-server did not start:\n${out}`)),
      120_000,
    );
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /pglite-server ready (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`pglite-server exited (${code}) during start:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
