// What every feature plugin receives (FeatureDeps) and is (Feature). Features import these from
// here, never from app.ts, so no feature depends on the module that registers it.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { VerifyToken } from "./auth.ts";
import type { Auth0, RateLimiter } from "./auth0/types.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/db.ts";
import type { ExperienceResolver } from "./invitation-lifecycle/experience.ts";
import type { SignupCheck } from "./features/health/signup-check.ts";
import type { Branding } from "./mail/invitation-email.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { PipelineHandle } from "./pipeline/worker.ts";

export interface AppDeps {
  config: Config;
  db: Db;
  auth0: Auth0;
  verifyToken: VerifyToken;
  /** the shared Management API budget (pipeline code asks it for tokens) */
  limiter?: RateLimiter;
  /** where log lines go (tests capture them); default stdout */
  logStream?: DestinationStream;
  /** per-user limit on mutating /api requests per minute */
  mutationsPerMinute?: number;
  /** health readiness of SMTP; default: a TCP connect to SMTP_URL */
  smtpCheck?: () => Promise<void>;
  /** the invitation pipeline's worker (routes wake it after enqueuing work) */
  pipeline?: PipelineHandle;
  /** SMTP sender for support links (the pipeline has its own reference) */
  mailer?: Mailer;
  /** app and company names in emails and invitee pages */
  branding?: Branding;
  /** per-IP limit on the invitee's pages (/invitations/:token…) per minute */
  invitePagesPerMinute?: number;
  /** the tenant's Universal Login experience; default: from config (auto = GET /api/v2/prompts, cached) */
  experience?: ExperienceResolver;
}

/** What every feature plugin receives as its options. */
export interface FeatureDeps extends AppDeps {
  signupCheck: SignupCheck;
  experience: ExperienceResolver;
}

export type Feature = FastifyPluginAsyncZod<FeatureDeps>;
