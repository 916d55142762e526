// Pipeline tuning. Defaults suit a real Auth0 tenant; tests shorten the waits.
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Auth0 } from "../auth0/types.ts";
import type { Db } from "../db/db.ts";
import type { Branding } from "../mail/invitation-email.ts";
import type { Mailer } from "../mail/mailer.ts";
import { ROLE_USERS_PER_CALL } from "../roles.ts";
import type { Settler } from "./settle.ts";
import type { SendPace } from "../mail/pace.ts";
import type { MailFirst } from "./mail-first.ts";

export interface PipelineOptions {
  /** identifies this process in leases */
  workerId: string;
  /** how long a claim is held; a killed worker's work is taken over after this */
  leaseMs: number;
  /** Auth0 allows two concurrent import jobs per tenant */
  maxJobsInFlight: number;
  /** the shortest and longest wait between polls of an import job (job-poll.ts) */
  pollMinMs: number;
  pollMaxMs: number;
  /**
   * The speed an import job is expected to run at, for its first poll (job-poll.ts firstPollMs).
   * Auth0 publishes no figure; about 1,000 users/s matches small imports (the emulator's speed).
   */
  jobUsersPerSecond: number;
  /** … plus this much for the job to start (queueing, the first processing step) */
  jobStartMs: number;
  /** after an unknown submission outcome, wait this long before resubmitting (lets an orphan job finish) */
  reconcileGraceMs: number;
  /** Auth0 refused a job because the tenant runs its maximum of import jobs: wait this long */
  importsBusyRetryMs: number;
  /** a 401/403 (e.g. a missing scope) pauses the work; re-probe after this, doubling … */
  configRetryMinMs: number;
  /** … up to this */
  configRetryMaxMs: number;
  /** submissions per batch before its rows fail for good */
  maxSubmitAttempts: number;
  /** invitations claimed per mail round; default mailBatchFor(the pace's connections) */
  mailBatch: number;
  mailRetryMaxMs: number;
  /** users per POST /api/v2/roles/{id}/users (roles.ts ROLE_USERS_PER_CALL) */
  roleBatch: number;
  /** sleep when there is nothing to do */
  idleMs: number;
  /** while the database is unavailable, the loops retry after 0.5 s, 1 s, 2 s … up to this */
  dbRetryMaxMs: number;
}

export const DEFAULT_OPTIONS: PipelineOptions = {
  workerId: `w-${randomUUID()}`,
  leaseMs: 60_000,
  maxJobsInFlight: 2,
  pollMinMs: 100,
  pollMaxMs: 10_000,
  jobUsersPerSecond: 1_000,
  jobStartMs: 100,
  reconcileGraceMs: 30_000,
  importsBusyRetryMs: 15_000,
  configRetryMinMs: 5_000,
  configRetryMaxMs: 300_000,
  maxSubmitAttempts: 5,
  mailBatch: 400,
  mailRetryMaxMs: 60_000,
  roleBatch: ROLE_USERS_PER_CALL,
  idleMs: 250,
  dbRetryMaxMs: 10_000,
};

/**
 * A mail round's size for a pool of `maxConnections` SMTP connections: at least 400, and ten
 * messages per connection, so a round keeps every connection busy for several messages before
 * its last sends trail off (docs/benchmarks.md, "Email throughput").
 */
export function mailBatchFor(maxConnections: number): number {
  return Math.max(DEFAULT_OPTIONS.mailBatch, 10 * maxConnections);
}

export interface PipelineDeps {
  db: Db;
  auth0: Auth0;
  mailer: Mailer;
  /** the BFF's public URL; invitation links are `${publicUrl}/invitations/<token>` */
  publicUrl: string;
  branding: Branding;
  /** the "Customer admin" role's id (roles.ts createAdminRoleId); the role step assigns it */
  adminRoleId: () => Promise<string>;
  log: Pick<FastifyBaseLogger, "info" | "warn" | "error">;
}

export interface PipelineContext extends PipelineDeps {
  options: PipelineOptions;
  /** records outcomes of outside effects even across a database outage (settle.ts) */
  settler: Settler;
  /** the mailer's pace, or an unlimited one for a mailer without */
  pace: SendPace;
  /** mail statements go before batch statements on in-process PGlite (mail-first.ts) */
  mailFirst: MailFirst;
}
