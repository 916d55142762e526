// Production configuration: the real BFF process (src/server.ts) with AUTH0_DOMAIN set refuses to
// start, saying what to fix, when something required is missing or the tenant is not invite-only;
// with everything in place it starts, also compiled (pnpm build, node dist/server.js). The "tenant"
// is the emulator behind AUTH0_MANAGEMENT_URL.
import { execFileSync, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { preflightProblems } from "../src/features/health/preflight.ts";
import { testConfig } from "../src/config.ts";
import { AppError } from "../src/errors.ts";
import { startBff } from "../src/pipeline/test/bff-process.ts";
import { freePort } from "../src/pipeline/test/smtp-catcher.ts";

const BFF_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PRODUCTION_SECRET = "a-real-tenant-secret-not-the-emulator-one";

/** Runs the BFF to its exit; what it printed and its exit code. */
function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(
      resolve(BFF_ROOT, "node_modules", ".bin", "tsx"),
      ["src/server.ts"],
      {
        cwd: BFF_ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe("starting against a real tenant", () => {
  let emu: RunningEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, bcryptRounds: 4 });
    // production refuses the emulator's public secret: this tenant's BFF application has its own
    emu.store.clients.update("guestlist-bff", (c) => {
      c.client_secret = PRODUCTION_SECRET;
    });
    const port = await freePort();
    env = {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      PORT: String(port),
      HOST: "127.0.0.1",
      AUTH0_DOMAIN: "acme-saas.test",
      AUTH0_MANAGEMENT_URL: emu.url,
      AUTH0_MANAGEMENT_AUDIENCE: `${emu.url}/api/v2/`,
      AUTH0_ISSUER_BASE_URL: `${emu.url}/`,
      AUTH0_CLIENT_ID: "guestlist-bff",
      AUTH0_CLIENT_SECRET: PRODUCTION_SECRET,
      AUTH0_CONNECTION_ID: "con_GuestlistLocal01",
      AUTH0_SPA_CLIENT_ID: "guestlist-spa",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: "smtp://127.0.0.1:1",
      MAIL_FROM: "Acme <no-reply@acme-saas.test>",
      DATABASE_URL: "memory",
      WEB_DIST: resolve(BFF_ROOT, "no-web"),
    };
  });
  afterAll(async () => {
    await emu?.close();
  });

  test(
    "names every missing variable and exits",
    { timeout: 40_000 },
    async () => {
      const { code, output } = await runToExit({
        AUTH0_DOMAIN: "acme-saas.eu.auth0.com",
        DATABASE_URL: "memory",
      });
      expect(code).toBe(1);
      for (const name of [
        "AUTH0_CLIENT_ID",
        "AUTH0_CLIENT_SECRET",
        "AUTH0_CONNECTION_ID",
        "SMTP_URL",
        "MAIL_FROM",
        "PUBLIC_URL",
      ])
        expect(output).toContain(`${name}: required with a real Auth0 tenant`);
    },
  );

  test(
    "refuses a connection id of the wrong shape",
    { timeout: 40_000 },
    async () => {
      const { code, output } = await runToExit({
        ...env,
        AUTH0_CONNECTION_ID: "Username-Password-Authentication",
      });
      expect(code).toBe(1);
      expect(output).toContain(
        "AUTH0_CONNECTION_ID: must look like con_ plus 16 letters/digits",
      );
    },
  );

  test(
    "refuses to run while sign-ups are enabled on the connection",
    { timeout: 40_000 },
    async () => {
      const { store } = emu;
      const signups = (enabled: boolean) =>
        store.connections.update(store.connection.id, (con) => {
          con.options = { ...con.options, disable_signup: !enabled };
        });
      signups(true);
      try {
        const { code, output } = await runToExit(env);
        expect(code).toBe(1);
        expect(output).toContain(
          "sign-ups are ENABLED on connection Username-Password-Authentication",
        );
      } finally {
        signups(false);
      }
    },
  );

  test(
    "starts when the configuration and the tenant are right",
    { timeout: 60_000 },
    async () => {
      const bff = await startBff(env, Number(env.PORT));
      try {
        const health = (await (
          await fetch(`${bff.url}/api/health`)
        ).json()) as { checks: { auth0: { status: string } } };
        expect(health.checks.auth0.status).toBe("ok");
      } finally {
        await bff.stop();
      }
    },
  );

  test(
    "refuses the emulator's public secret and the demo seed in production",
    { timeout: 40_000 },
    async () => {
      const { code, output } = await runToExit({
        ...env,
        AUTH0_CLIENT_SECRET: "guestlist-bff-local-secret",
        SEED_TENANTS: "true",
      });
      expect(code).toBe(1);
      expect(output).toContain(
        "AUTH0_CLIENT_SECRET: the emulator's public secret",
      );
      expect(output).toContain(
        "SEED_TENANTS: the demo tenants are never seeded",
      );
    },
  );

  test(
    "runs compiled: pnpm build, then node dist/server.js finds its migrations",
    { timeout: 240_000 },
    async () => {
      execFileSync(process.execPath, ["scripts/build.mjs"], {
        cwd: BFF_ROOT,
        stdio: "ignore",
      });
      const bff = await startBff(
        env,
        Number(env.PORT),
        resolve(BFF_ROOT, "dist", "server.js"),
      );
      try {
        expect(bff.child.spawnargs.join(" ")).not.toContain("tsx");
        const health = (await (
          await fetch(`${bff.url}/api/health`)
        ).json()) as {
          status: string;
          checks: Record<string, { status: string }>;
        };
        expect(health.checks.db?.status).toBe("ok");
        expect(health.checks.auth0?.status).toBe("ok");
        const me = await fetch(`${bff.url}/api/me`);
        expect(me.status).toBe(401);
        // pnpm auth0:setup, compiled, still finds the Action's source file
        const compiledAction = (await import(
          pathToFileURL(resolve(BFF_ROOT, "dist/auth0/setup/action-code.js"))
            .href
        )) as { actionCode: (claim: string) => string };
        expect(compiledAction.actionCode("https://x.test/tenant")).toContain(
          'const TENANT_CLAIM = "https://x.test/tenant";',
        );
      } finally {
        await bff.stop();
      }
    },
  );
});

describe("production without Auth0 settings", () => {
  for (const [name, extra] of [
    ["NODE_ENV=production", { NODE_ENV: "production" }],
    [
      "a PUBLIC_URL that is not localhost",
      { PUBLIC_URL: "https://guestlist.example" },
    ],
  ] as const)
    test(
      `refuses to start on the emulator's settings with ${name}`,
      { timeout: 40_000 },
      async () => {
        const { code, output } = await runToExit({
          DATABASE_URL: "memory",
          ...extra,
        });
        expect(code).toBe(1);
        expect(output).toContain("AUTH0_DOMAIN: required in production");
        expect(output).not.toContain("Guestlist BFF on");
      },
    );
});

describe("preflightProblems", () => {
  const config = testConfig();
  const failing = (error: Error) => ({
    getConnection: () => Promise.reject(error),
  });

  test("explains an unknown connection id and refused credentials", async () => {
    expect(
      await preflightProblems(
        config,
        failing(new AppError("not_found", "nope")),
      ),
    ).toEqual([
      expect.stringMatching(
        /^AUTH0_CONNECTION_ID: there is no connection con_GuestlistLocal01/,
      ),
    ]);
    expect(
      await preflightProblems(
        config,
        failing(new AppError("upstream", "no", { auth0Status: 401 })),
      ),
    ).toEqual([
      expect.stringMatching(
        /^AUTH0_CLIENT_ID \/ AUTH0_CLIENT_SECRET: Auth0 refused/,
      ),
    ]);
  });

  test("asks for read:connections_options when the flag is invisible, and for the right connection name", async () => {
    const problems = await preflightProblems(config, {
      getConnection: () =>
        Promise.resolve({
          id: "con_GuestlistLocal01",
          name: "Other",
          disableSignup: null,
        }),
    });
    expect(problems).toEqual([
      expect.stringContaining("read:connections_options"),
      expect.stringContaining("set AUTH0_CONNECTION_NAME=Other"),
    ]);
  });
});
