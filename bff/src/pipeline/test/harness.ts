// The world of an integration test: the Auth0 emulator in-process, a real SMTP catcher (maildev),
// the real Auth0 adapter with the shared rate budget, the real app on PGlite, and the worker.
import { createAdminRoleId } from "../../roles.ts";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { createAuth0 } from "../../auth0/auth0.ts";
import { createRateBudget } from "../../auth0/rate-budget.ts";
import type { Auth0 } from "../../auth0/types.ts";
import { testConfig } from "../../config.ts";
import { openDb, type Db } from "../../db/db.ts";
import { createMailer, type Mailer } from "../../mail/mailer.ts";
import { DEFAULT_BRANDING } from "../../mail/invitation-email.ts";
import {
  buildTestApp,
  type TestApp,
  type TestAppOptions,
} from "../../test/build-test-app.ts";
import type { PipelineOptions } from "../options.ts";
import { startPipeline, type Pipeline } from "../worker.ts";
import { startCatcher, type SmtpCatcher } from "./smtp-catcher.ts";

export const FAST_PIPELINE: Partial<PipelineOptions> = {
  // Long enough that a loaded CI machine never sees a live claim expire under its own worker.
  leaseMs: 20_000,
  pollMinMs: 100,
  pollMaxMs: 500,
  reconcileGraceMs: 300,
  importsBusyRetryMs: 200,
  configRetryMinMs: 200,
  configRetryMaxMs: 1_000,
  idleMs: 30,
  mailRetryMaxMs: 500,
};

export interface Harness {
  emulator: RunningEmulator;
  catcher: SmtpCatcher;
  t: TestApp;
  auth0: Auth0;
  mailer: Mailer;
  pipeline: Pipeline;
  publicUrl: string;
  emu(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    pipeline?: Partial<PipelineOptions>;
    rateLimit?: unknown;
    /** wraps the adapter's fetch (to answer some Management API calls like Auth0 might) */
    fetchImpl?: typeof fetch;
    /** more app options (e.g. an experience resolver); given the real adapter */
    app?: (auth0: Auth0) => Partial<TestAppOptions>;
    /** the database (default in-memory PGlite); buildTestApp migrates it, close() closes it */
    db?: Db;
  } = {},
): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
  const catcher = await startCatcher();
  const publicUrl = "http://localhost:3000";
  const env = {
    AUTH0_MANAGEMENT_URL: emulator.url,
    AUTH0_ISSUER_BASE_URL: `${emulator.url}/`,
    SMTP_URL: catcher.smtpUrl,
    PUBLIC_URL: publicUrl,
  };
  const emu = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown> => {
    const r = await fetch(`${emulator.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            body: JSON.stringify(body),
            headers: { "content-type": "application/json" },
          }),
    });
    return r.status === 204 ? null : r.json();
  };
  if (options.rateLimit)
    await emu("PUT", "/__emulator/rate-limit", options.rateLimit);
  const mailer = createMailer({
    smtpUrl: catcher.smtpUrl,
    from: "Guestlist <no-reply@guestlist.example>",
    maxConnections: 5,
  });
  // The adapter shares the app's database (the rate budget); buildTestApp migrates it.
  const db = options.db ?? (await openDb({}));
  const config = testConfig(env);
  const auth0 = createAuth0(config, {
    limiter: createRateBudget(db, config.auth0.rateLimit),
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  });
  const worker: { current?: Pipeline } = {};
  const t = await buildTestApp({
    env,
    db,
    auth0,
    mailer,
    pipeline: { kick: () => worker.current?.kick() },
    invitePagesPerMinute: 1_000,
    ...options.app?.(auth0),
  });
  const pipeline = startPipeline(
    {
      db,
      auth0,
      mailer,
      publicUrl,
      branding: DEFAULT_BRANDING,
      adminRoleId: createAdminRoleId(auth0, config.auth0.adminRole),
      log: t.app.log,
    },
    { ...FAST_PIPELINE, ...options.pipeline },
  );
  worker.current = pipeline;
  return {
    emulator,
    catcher,
    t,
    auth0,
    mailer,
    pipeline,
    publicUrl,
    emu,
    async close() {
      await pipeline.stop();
      mailer.close();
      await t.close();
      await db.close();
      await catcher.stop();
      await emulator.close();
    },
  };
}

export async function waitFor<T>(
  what: string,
  fn: () =>
    T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
