// buildTestApp(): the real app on in-memory PGlite with the seed tenants, a fake (or given) Auth0
// adapter and locally signed tokens. Use app.inject(); close() when done.
import type { FastifyInstance } from "fastify";
import { Writable } from "node:stream";
import { buildApp, type AppDeps } from "../app.ts";
import type { Auth0 } from "../auth0/types.ts";
import { testConfig, type Config } from "../config.ts";
import { openDb, type Db } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { seedTenants, type TenantSeed } from "../db/seed.ts";
import { createFakeAuth0, type FakeAuth0 } from "./fake-auth0.ts";
import { createTestTokens, type TestTokens } from "./tokens.ts";

export const TEST_TENANTS: TenantSeed[] = [
  {
    id: "acme",
    name: "Acme Corp",
    seatLimit: 50,
    allowedDomains: ["acme.test"],
    invitationLifetimeDays: 7,
  },
  {
    id: "globex",
    name: "Globex",
    seatLimit: 10,
    allowedDomains: ["globex.test"],
    invitationLifetimeDays: 7,
  },
];

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  auth0: Auth0;
  /** the fake adapter, when no auth0 was given */
  fake: FakeAuth0;
  tokens: TestTokens;
  /** every log line written so far (JSON), when captureLogs was set */
  logs: () => string;
  close(): Promise<void>;
}

/** A pipeline nobody runs: routes may wake it, nothing happens (tests that need one pass it). */
export const IDLE_PIPELINE: AppDeps["pipeline"] = { kick: () => undefined };

/** A mailer whose messages go nowhere (tests that read emails pass a real one to a catcher). */
export const SINK_MAILER: AppDeps["mailer"] = {
  send: () => Promise.resolve(),
  verify: () => Promise.resolve(true),
  close: () => undefined,
};

export interface TestAppOptions extends Partial<
  Omit<AppDeps, "config" | "db">
> {
  env?: Record<string, string>;
  db?: Db;
  tenants?: TenantSeed[];
  captureLogs?: boolean;
}

export async function buildTestApp(
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { env, tenants, captureLogs, db: givenDb, ...rest } = options;
  const config = testConfig({
    ...(captureLogs ? { LOG_LEVEL: "info" } : {}),
    ...env,
  });
  const db = givenDb ?? (await openDb({}));
  await migrate(db);
  await seedTenants(db, tenants ?? TEST_TENANTS);
  const tokens = await createTestTokens(config);
  const fake = createFakeAuth0();
  let logText = "";
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const app = await buildApp({
    config,
    db,
    auth0: fake,
    verifyToken: tokens.verifyToken,
    smtpCheck: () => Promise.resolve(),
    pipeline: IDLE_PIPELINE,
    mailer: SINK_MAILER,
    ...(captureLogs ? { logStream } : {}),
    ...rest,
  });
  await app.ready();
  return {
    app,
    db,
    config,
    auth0: rest.auth0 ?? fake,
    fake,
    tokens,
    logs: () => logText,
    async close() {
      await app.close();
      if (!givenDb) await db.close();
    },
  };
}
