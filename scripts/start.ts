// `npm start` (and `npm run dev` with --dev): the whole local stack as child processes, each through
// its package's own `start`/`dev` script, with state in ./.data/. Ctrl-C stops everything.
// With AUTH0_DOMAIN set (environment or a root .env), only the BFF runs, against that tenant.
// The BFF's database: PGlite in its own process by default (bff/src/db/pglite-server.ts, port
// PGLITE_PORT, default 5433, ./.data/bff-db), the BFF on it over one connection
// (DATABASE_SINGLE_SESSION=1), so the BFF process stays under 300 MB RSS through a 100,000-person
// import (docs/decisions/012-pglite-in-its-own-process.md). `--pglite-in-process` (or
// GUESTLIST_DB=pglite) runs PGlite inside the BFF instead; DATABASE_URL set: that server, no PGlite.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  startService,
  stopAll,
  takenPorts,
  waitReady,
  type Running,
  type Service,
} from "./lib/processes.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = resolve(ROOT, ".data");
const dev = process.argv.includes("--dev");

if (existsSync(resolve(ROOT, ".env")))
  process.loadEnvFile(resolve(ROOT, ".env"));
const env = process.env;
const realTenant = Boolean(env.AUTH0_DOMAIN);
const DB_MODES = ["pglite-process", "pglite"] as const;
if (
  env.GUESTLIST_DB &&
  !(DB_MODES as readonly string[]).includes(env.GUESTLIST_DB)
) {
  console.error(
    `start: GUESTLIST_DB=${env.GUESTLIST_DB} is not known; use pglite-process (the default: PGlite in its own process) or pglite (PGlite inside the BFF).`,
  );
  process.exit(1);
}
const askedInProcess =
  process.argv.includes("--pglite-in-process") || env.GUESTLIST_DB === "pglite";
const askedProcess =
  process.argv.includes("--pglite-process") ||
  env.GUESTLIST_DB === "pglite-process";
if (askedInProcess && askedProcess) {
  console.error(
    "start: choose one of --pglite-process (the default) and --pglite-in-process (GUESTLIST_DB=pglite).",
  );
  process.exit(1);
}
if ((askedInProcess || askedProcess) && env.DATABASE_URL) {
  console.error(
    "start: DATABASE_URL names the database; unset it to use PGlite, or drop the PGlite flag.",
  );
  process.exit(1);
}
// With DATABASE_URL the BFF uses that server and no PGlite runs at all.
const pgliteProcess = !askedInProcess && !env.DATABASE_URL;

const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const ports = {
  bff: port("PORT", 3000),
  emulator: port("EMULATOR_PORT", 4010),
  smtp: port("MAILDEV_SMTP_PORT", 1025),
  inbox: port("MAILDEV_WEB_PORT", 1080),
  vite: 5173,
  pglite: port("PGLITE_PORT", 5433),
};
const emulatorUrl = `http://localhost:${ports.emulator}`;
const bffUrl = env.PUBLIC_URL ?? `http://localhost:${ports.bff}`;
const inboxUrl = `http://localhost:${ports.inbox}/index.html`;

const pnpm = (...args: string[]) => ({
  command: "pnpm",
  args: ["--silent", ...args],
});

const emulator: Service = {
  name: "emulator",
  ...pnpm("--filter", "@app/auth0-emulator", "start"),
  env: {
    EMULATOR_PORT: String(ports.emulator),
    EMULATOR_PUBLIC_URL: emulatorUrl,
    EMULATOR_DATA_DIR: env.EMULATOR_DATA_DIR ?? resolve(DATA, "auth0-emulator"),
  },
  ports: [ports.emulator],
  readyUrl: `http://127.0.0.1:${ports.emulator}/.well-known/openid-configuration`,
};

const maildev: Service = {
  name: "maildev",
  ...pnpm(
    "exec",
    "maildev",
    "--silent",
    "--ip",
    "127.0.0.1",
    "--web-ip",
    "127.0.0.1",
  ),
  env: {
    MAILDEV_SMTP_PORT: String(ports.smtp),
    MAILDEV_WEB_PORT: String(ports.inbox),
  },
  ports: [ports.smtp, ports.inbox],
  readyUrl: `http://127.0.0.1:${ports.inbox}/api/email`,
};
maildev.args.push("--mail-directory", resolve(DATA, "maildev"));

const bff: Service = {
  name: "bff",
  ...pnpm("--filter", "@app/bff", dev ? "dev" : "start"),
  env: realTenant
    ? {}
    : {
        PORT: String(ports.bff),
        PUBLIC_URL: bffUrl,
        DATA_DIR: env.DATA_DIR ?? DATA,
        AUTH0_ISSUER_BASE_URL: `${emulatorUrl}/`,
        AUTH0_MANAGEMENT_URL: `http://127.0.0.1:${ports.emulator}`,
        SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      },
  ports: [ports.bff],
  readyUrl: `http://127.0.0.1:${ports.bff}/api/health`,
};

const pgliteServer: Service = {
  name: "database",
  ...pnpm(
    "--filter",
    "@app/bff",
    "pglite-server",
    "--data-dir",
    resolve(env.DATA_DIR ?? DATA, "bff-db"),
    "--port",
    String(ports.pglite),
  ),
  ports: [ports.pglite],
  // It speaks the Postgres protocol, not HTTP; a probe connection would take its one slot.
  readyLine: /pglite-server ready/,
};
if (pgliteProcess)
  bff.env = {
    ...bff.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${ports.pglite}/postgres`,
    DATABASE_SINGLE_SESSION: "1",
  };

const vite: Service = {
  name: "web",
  ...pnpm("--filter", "@app/web", "dev"),
  ports: [ports.vite],
  readyUrl: `http://localhost:${ports.vite}/`,
};

const services = [
  ...(pgliteProcess ? [pgliteServer] : []),
  ...(realTenant ? [bff] : [emulator, maildev, bff]),
];
if (dev) services.push(vite);

function banner(): string {
  const lines = ["", `Guestlist is running${dev ? " (dev mode)" : ""}.`, ""];
  if (dev)
    lines.push(`  App (Vite, hot reload)   http://localhost:${ports.vite}`);
  lines.push(
    `  App + API (BFF)          ${bffUrl}`,
    `  API docs (OpenAPI)       ${bffUrl}/api/docs/json`,
  );
  if (realTenant) {
    lines.push(
      `  Auth0 tenant             https://${env.AUTH0_DOMAIN ?? ""}`,
      "",
    );
  } else {
    lines.push(
      `  Auth0 emulator           ${emulatorUrl}`,
      `  Inbox (maildev)          ${inboxUrl}   (SMTP on 127.0.0.1:${ports.smtp})`,
      `  State                    ${DATA}`,
      pgliteProcess
        ? `  Database (PGlite)        postgres://postgres@127.0.0.1:${ports.pglite}/postgres (own process, one connection)`
        : env.DATABASE_URL
          ? "  Database                 DATABASE_URL"
          : "  Database (PGlite)        inside the BFF (--pglite-in-process)",
      "",
      "  Sign in with (password correct-horse-battery-staple):",
      "    admin@acme.test          admin of Acme Corp",
      "    admin@globex.test        admin of Globex",
      "    support@exampleco.test   ExampleCo support (all tenants, manage:tenants)",
      "",
    );
  }
  lines.push("Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

async function main(): Promise<number> {
  const taken = await takenPorts(services);
  if (taken.length > 0) {
    for (const line of taken) console.error(`start: ${line}`);
    console.error(
      "start: stop whatever uses it (another `npm start`?) and try again.",
    );
    return 1;
  }
  const width = Math.max(...services.map((s) => s.name.length));
  const running: Running[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll(running));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) return; // pnpm and npm forward a second signal: one stop is enough
      console.log(
        `\nstart: ${signal}, stopping ${running.map((r) => r.service.name).join(", ")} ...`,
      );
      void stop().then(() => {
        console.log("start: stopped.");
        process.exit(0);
      });
    });
  }
  try {
    // What the BFF needs at start (the database, the emulator for its JWKS and Management API
    // token, the mail catcher) starts at once and must be ready first; then the BFF (and Vite).
    const prerequisites = new Set([emulator, maildev, pgliteServer]);
    const launch = (first: boolean) =>
      [...services.entries()]
        .filter(([, service]) => prerequisites.has(service) === first)
        .map(([index, service]) => {
          const child = startService(service, index, width, ROOT);
          running.push(child);
          return child;
        });
    await Promise.all(launch(true).map((r) => waitReady(r, 60_000)));
    await Promise.all(launch(false).map((r) => waitReady(r, 90_000)));
  } catch (err) {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    await stop();
    return 1;
  }
  console.log(banner());
  // A service that dies on its own takes the stack down, so a half-running stack never lingers.
  const first = await Promise.race(
    running.map((r) => r.exited.then((code) => ({ r, code }))),
  );
  if (stopping) return 0;
  console.error(
    `start: ${first.r.service.name} exited (code ${String(first.code)}); stopping the rest.`,
  );
  await stop();
  return 1;
}

process.exitCode = await main();
