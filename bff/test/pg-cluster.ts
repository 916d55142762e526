// A throwaway PostgreSQL cluster that a test owns, so it can stop and start the server (outage
// tests). Same recipe as scripts/test.sh: initdb in a temp dir (as the `postgres` user when we
// are root, initdb refuses root), pg_ctl on a free port from 55532 upward, trust auth, no fsync.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: the server terminates every connection (57P01) and exits */
  stop(): void;
  start(): void;
  /** stops the server and deletes the cluster */
  destroy(): void;
}

/** pg_ctl's directory, or null when PostgreSQL is not installed. */
export function findPgBin(): string | null {
  const which = spawnSync("sh", ["-c", "command -v pg_ctl"], {
    encoding: "utf8",
  });
  const onPath = which.status === 0 ? which.stdout.trim() : "";
  if (onPath) {
    const real = execFileSync("readlink", ["-f", onPath], { encoding: "utf8" });
    return join(real.trim(), "..");
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

/** Why a cluster cannot be created here, or null when it can. */
export function pgClusterUnavailable(): string | null {
  if (!findPgBin())
    return "PostgreSQL binaries (pg_ctl, initdb) are not installed";
  if (process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0)
    return "running as root and there is no `postgres` user to run initdb as";
  return null;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

export async function createPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL is not installed");
  const dir = mkdtempSync(join(tmpdir(), "guestlist-pg-outage-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(
      execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }),
    );
    const gid = Number(
      execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }),
    );
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const cmd = asRoot ? "runuser" : join(bin, tool);
    const argv = asRoot
      ? ["-u", "postgres", "--", join(bin, tool), ...args]
      : args;
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    if (r.status !== 0)
      throw new Error(
        `${tool} failed (${r.status}):\n${r.stdout}\n${r.stderr}`,
      );
  };
  const data = join(dir, "data");
  run("initdb", [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  let port = 55532;
  while (!(await portIsFree(port))) port++;
  const start = (): void =>
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "30",
      "start",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    ]);
  const stop = (): void =>
    run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy() {
      if (existsSync(join(data, "postmaster.pid"))) {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
