// Runs the real BFF (src/server.ts via tsx) as a child process, for the kill test and the benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BFF_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
);

/**
 * The V8 heap flags of the BFF's own launch (`start:prod` in bff/package.json, the one place they are
 * written; `start` and `dev` repeat them): tests and benches run the BFF as production does
 * (docs/production.md, "Memory").
 */
export function launchHeapFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(BFF_ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  return (scripts["start:prod"] ?? "").match(/--max-[a-z-]+-size=\d+/g) ?? [];
}

export interface BffProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGKILL: no shutdown hook runs */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const spawned = new Set<ChildProcess>();

/** SIGKILLs every BFF this process started and has not seen exit (test clean-up after a timeout). */
export function killAllBffs(): void {
  for (const c of spawned) c.kill("SIGKILL");
}

export async function startBff(
  env: Record<string, string>,
  port: number,
  /** the compiled server (dist/server.js of `pnpm build`) instead of src/server.ts through tsx */
  compiled?: string,
): Promise<BffProcess> {
  let out = "";
  // node itself runs the server (tsx as a loader, not the tsx CLI, which would put a wrapper
  // process in between): the pid we SIGKILL is the BFF's own.
  const args = compiled ? [compiled] : ["--import", "tsx", "src/server.ts"];
  const child = spawn(process.execPath, args, {
    cwd: BFF_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...env,
      // the launch's heap flags first: a caller's NODE_OPTIONS may override them (the last wins)
      NODE_OPTIONS: [...launchHeapFlags(), env.NODE_OPTIONS ?? ""]
        .join(" ")
        .trim(),
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.add(child);
  child.once("exit", () => spawned.delete(child));
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`BFF exited during start:\n${out.slice(-3000)}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.status < 500 || r.status === 503) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until)
      throw new Error(`BFF did not start:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    url,
    output: () => out,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * What every emulator-backed BFF process of the tests shares: the local emulator as Auth0, the
 * given SMTP catcher, the tenants file seeded at start, no built SPA. NODE_ENV=test because
 * production refuses the emulator and the seed (config.ts). Callers add their own settings.
 */
export function emulatorBackedEnv(o: {
  emulatorUrl: string;
  smtpUrl: string;
  port: number;
  tenantsFile: string;
  dir: string;
}): Record<string, string> {
  return {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    AUTH0_MANAGEMENT_URL: o.emulatorUrl,
    AUTH0_ISSUER_BASE_URL: `${o.emulatorUrl}/`,
    SMTP_URL: o.smtpUrl,
    PUBLIC_URL: `http://127.0.0.1:${o.port}`,
    TENANTS_FILE: o.tenantsFile,
    SEED_TENANTS: "true",
    WEB_DIST: join(o.dir, "no-web"),
  };
}

/**
 * Writes a tenants file (the format of TENANTS_FILE, config.ts) into `dir` and returns its path:
 * each tenant's domain is `<id>.test`, its invitations live 7 days; `name` defaults to the id.
 */
export function writeTenantsFile(
  dir: string,
  tenants: readonly { id: string; name?: string; seatLimit: number }[],
  fileName = "tenants.json",
): string {
  const file = join(dir, fileName);
  writeFileSync(
    file,
    JSON.stringify({
      tenants: tenants.map((t) => ({
        id: t.id,
        name: t.name ?? t.id,
        seatLimit: t.seatLimit,
        allowedDomains: [`${t.id}.test`],
        invitationLifetimeDays: 7,
      })),
    }),
  );
  return file;
}
