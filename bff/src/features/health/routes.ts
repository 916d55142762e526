// GET /api/health (public readiness: statuses only), /api/health/details (support: the reasons and
// the sign-up warning) and /api/health/live. The checks run at most once per CHECK_CACHE_MS, however
// often a load balancer or a stranger asks, so health cannot be used to hammer SMTP or Auth0.
import { publicRoute, requiresGlobal } from "../../auth.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { isDatabaseUnavailable } from "../../errors.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  Health,
  HealthDetails,
  Live,
  type Check,
  type HealthDetails as Details,
} from "./contract.ts";
import { pingDatabase } from "./repository.ts";
import { SIGNUPS_WARNING, type SignupCheck } from "./signup-check.ts";

export const CHECK_CACHE_MS = 5_000;

export interface HealthDeps {
  db: Db;
  auth0: Pick<Auth0, "configurationProblems">;
  /** the Auth0 connection's "Disable Sign Ups" (app.ts reads it once at start) */
  signupCheck: SignupCheck;
  /** readiness of SMTP (default in app.ts: a TCP connect to SMTP_URL, ./smtp-check.ts) */
  smtpCheck: () => Promise<void>;
}

export const healthRoutes: Feature<HealthDeps> = (app, deps) => {
  const { smtpCheck } = deps;
  let cached: { at: number; result: Promise<Details> } | undefined;
  let lastLogged = "";

  const runChecks = async (): Promise<Details> => {
    const [db, connectionCheck, smtp] = await Promise.all([
      run(() => pingDatabase(deps.db)),
      run(() => deps.signupCheck.refresh().then(() => undefined)),
      run(smtpCheck),
    ]);
    const signupsEnabled = deps.signupCheck.signupsEnabled();
    // 401/403 the pipeline or a page got from the Management API (e.g. a scope missing from the
    // BFF's grant): work waits for them, so they are the first thing an operator must see.
    const problems = (deps.auth0.configurationProblems?.() ?? []).map(
      (p) => p.message,
    );
    const auth0: Check =
      problems.length === 0
        ? connectionCheck
        : {
            status: "down",
            message: [...new Set([...problems, connectionCheck.message])]
              .filter(Boolean)
              .join("; "),
          };
    const ok =
      db.status === "ok" && auth0.status === "ok" && smtp.status !== "down";
    const details: Details = {
      status: ok && !signupsEnabled ? "ok" : "degraded",
      checks: { db, auth0, smtp },
      signupsEnabled,
      warnings: [...(signupsEnabled ? [SIGNUPS_WARNING] : []), ...problems],
      checkedAt: new Date().toISOString(),
    };
    // The reasons go to the log (once per change), not to the public answer.
    const summary = JSON.stringify([details.status, details.checks]);
    if (summary !== lastLogged && details.status !== "ok")
      app.log.warn({ health: details.checks }, "health check degraded");
    lastLogged = summary;
    return details;
  };
  /** Concurrent callers share one run; a result is reused for CHECK_CACHE_MS. */
  const checks = (): Promise<Details> => {
    const now = Date.now();
    if (!cached || now - cached.at >= CHECK_CACHE_MS)
      cached = { at: now, result: runChecks() };
    return cached.result;
  };

  // 503 only when the database is down: Auth0/SMTP outages degrade but the pipeline waits them out.
  app.get(
    "/health",
    { config: publicRoute, schema: { response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const d = await checks();
      const status = (c: Check) => ({ status: c.status });
      return reply.code(d.checks.db.status === "ok" ? 200 : 503).send({
        status: d.status,
        checks: {
          db: status(d.checks.db),
          auth0: status(d.checks.auth0),
          smtp: status(d.checks.smtp),
        },
      });
    },
  );
  app.get(
    "/health/details",
    {
      config: requiresGlobal("read:all_tenants"),
      schema: {
        response: {
          200: HealthDetails,
          503: HealthDetails,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (_req, reply) => {
      const d = await checks();
      return reply.code(d.checks.db.status === "ok" ? 200 : 503).send(d);
    },
  );
  // Liveness for orchestrators: an Auth0 or SMTP outage must not get healthy processes restarted,
  // so nothing is checked here; /api/health is the readiness view.
  app.get(
    "/health/live",
    { config: publicRoute, schema: { response: { 200: Live } } },
    () => ({ status: "up" as const }),
  );
  return Promise.resolve();
};

async function run(check: () => Promise<void>): Promise<Check> {
  try {
    await withTimeout(check(), 3_000);
    return { status: "ok" };
  } catch (error) {
    return { status: "down", message: reason(error) };
  }
}

/** The error's message; for the database also the driver's code (e.g. 57P01, ECONNREFUSED). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return "unavailable";
  if (!isDatabaseUnavailable(error)) return error.message;
  let code: unknown;
  for (
    let e: unknown = error.cause;
    e instanceof Error && code === undefined;
    e = e.cause
  )
    code = (e as { code?: unknown }).code;
  return typeof code === "string"
    ? `${error.message} (${code})`
    : error.message;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
