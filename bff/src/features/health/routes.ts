// GET /api/health: liveness + readiness of db, Auth0 and SMTP, and the sign-up warning.
import { connect } from "node:net";
import type { Feature } from "../../app.ts";
import { publicRoute } from "../../auth.ts";
import { isDatabaseUnavailable } from "../../errors.ts";
import { Health, Live, type Check } from "./contract.ts";
import { SIGNUPS_WARNING } from "./signup-check.ts";

export const healthRoutes: Feature = (app, deps) => {
  const smtpCheck = deps.smtpCheck ?? (() => tcpCheck(deps.config.smtpUrl));
  app.get(
    "/health",
    { config: publicRoute, schema: { response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const [db, connectionCheck, smtp] = await Promise.all([
        run(() => deps.db.query("select 1").then(() => undefined)),
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
      const warnings = [
        ...(signupsEnabled ? [SIGNUPS_WARNING] : []),
        ...problems,
      ];
      const ok =
        db.status === "ok" && auth0.status === "ok" && smtp.status !== "down";
      // 503 only when the database is down: Auth0/SMTP outages degrade but the pipeline waits them out.
      return reply.code(db.status === "ok" ? 200 : 503).send({
        status: ok && !signupsEnabled ? "ok" : "degraded",
        checks: { db, auth0, smtp },
        signupsEnabled,
        warnings,
      });
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

function tcpCheck(smtpUrl: string): Promise<void> {
  const url = new URL(smtpUrl);
  const port = Number(url.port || (url.protocol === "smtps:" ? 465 : 25));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port }, () => {
      socket.end();
      resolve();
    });
    socket.setTimeout(2_000, () =>
      socket.destroy(new Error("SMTP did not answer")),
    );
    socket.once("error", (e) =>
      reject(new Error(`SMTP unreachable (${e.message})`)),
    );
  });
}
