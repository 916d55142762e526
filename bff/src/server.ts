// The only wiring of real dependencies: config → database → migrations → seed → Auth0 → app → listen.
import type { FastifyBaseLogger } from "fastify";
import { createVerifyToken } from "./auth.ts";
import { createAuth0 } from "./auth0/auth0.ts";
import { createRateBudget } from "./auth0/rate-budget.ts";
import { buildApp } from "./app.ts";
import {
  ConfigError,
  EMULATOR_DOMAIN,
  loadConfig,
  type Config,
} from "./config.ts";
import { openDb } from "./db/db.ts";
import { migrate } from "./db/migrate.ts";
import { readTenantsFile, seedTenants } from "./db/seed.ts";
import { preflightProblems } from "./features/health/preflight.ts";
import { startReconcileSweep } from "./invitation-lifecycle/reconcile.ts";
import { createInvitationPipeline } from "./pipeline/start.ts";

async function main(config: Config): Promise<void> {
  // The app's logger exists only once the app is built; connection errors before that go to stderr.
  const dbLog: { current?: Pick<FastifyBaseLogger, "warn"> } = {};
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.pgliteDir,
    poolSize: config.databasePool.size,
    singleSession: config.databasePool.singleSession,
    connectTimeoutMs: config.databasePool.connectTimeoutMs,
    onConnectionError: (error) => {
      const entry = {
        code: (error as { code?: unknown }).code,
        reason: error.message,
      };
      const message = "database connection lost; the next query reconnects";
      if (dbLog.current) dbLog.current.warn(entry, message);
      else console.warn(message, entry);
    },
  });
  const applied = await migrate(db);
  const seeded = config.seedTenants
    ? await seedTenants(db, await readTenantsFile(config.tenantsFile))
    : 0;
  const limiter = createRateBudget(db, config.auth0.rateLimit, {
    ...(config.auth0.inviteeHeadroom === undefined
      ? {}
      : { inviteeHeadroom: config.auth0.inviteeHeadroom }),
  });
  const auth0 = createAuth0(config, { limiter });
  // A real tenant (AUTH0_DOMAIN set) must be invite-only and match the configuration; the local
  // emulator is only checked by /api/health.
  const problems =
    config.auth0.domain !== EMULATOR_DOMAIN
      ? await preflightProblems(config, auth0)
      : [];
  if (problems.length > 0) {
    await db.close().catch(() => undefined);
    console.error(
      `The BFF will not start against ${config.auth0.domain}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    process.exit(1);
  }
  const verifyToken = createVerifyToken({
    issuer: config.auth0.issuer,
    audience: config.auth0.audience,
    tenantClaim: config.auth0.tenantClaim,
    allowedClientIds: config.auth0.allowedClientIds,
    jwksUrl: config.auth0.jwksUrl,
  });
  const pipeline = createInvitationPipeline(config, db, auth0);
  const app = await buildApp({
    config,
    db,
    auth0,
    verifyToken,
    pipeline: pipeline.handle,
    mailer: pipeline.mailer,
    branding: config.branding,
  });
  dbLog.current = app.log.child({ component: "db" });
  app.log.info(
    { engine: db.engine, migrations: applied, seededTenants: seeded },
    "database ready",
  );
  pipeline.start(app.log.child({ component: "pipeline" }));
  // Open invitations whose ticket was used become accepted from Auth0's record (ADR 007).
  const sweep = startReconcileSweep(
    db,
    auth0,
    app.log.child({ component: "reconcile" }),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await sweep.stop().catch(() => undefined);
    await pipeline
      .stop()
      .catch((e: unknown) => app.log.error({ err: e }, "pipeline stop failed"));
    await app
      .close()
      .catch((e: unknown) => app.log.error({ err: e }, "close failed"));
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    `Guestlist BFF on ${config.publicUrl} (API at ${config.publicUrl}/api, OpenAPI at /api/docs/json)`,
  );
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
main(config).catch((error: unknown) => {
  console.error("The BFF failed to start:", error);
  process.exit(1);
});
