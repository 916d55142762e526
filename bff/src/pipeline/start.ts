// Wiring for server.ts: the SMTP transport and the worker, from config.
import type { Auth0 } from "../auth0/types.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import { createMailer, type Mailer } from "../mail/mailer.ts";
import { createAdminRoleId } from "../roles.ts";
import type { PipelineDeps } from "./options.ts";
import { startPipeline, type Pipeline, type PipelineHandle } from "./worker.ts";

export interface InvitationPipeline {
  mailer: Mailer;
  /** give this to buildApp before the worker exists; it forwards to the worker once started */
  handle: PipelineHandle;
  start(log: PipelineDeps["log"]): Pipeline;
  stop(): Promise<void>;
}

export function createInvitationPipeline(
  config: Config,
  db: Db,
  auth0: Auth0,
): InvitationPipeline {
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    maxConnections: config.pipeline.smtpPoolSize,
    requireTls: config.smtpRequireTls,
    maxPerSecond: config.pipeline.smtpMaxPerSecond,
  });
  let worker: Pipeline | undefined;
  return {
    mailer,
    handle: { kick: () => worker?.kick() },
    start(log) {
      worker = startPipeline(
        {
          db,
          auth0,
          mailer,
          publicUrl: config.publicUrl,
          branding: config.branding,
          adminRoleId: createAdminRoleId(auth0, config.auth0.adminRole),
          log,
        },
        {
          leaseMs: config.pipeline.leaseMs,
          reconcileGraceMs: config.pipeline.reconcileGraceMs,
        },
      );
      return worker;
    },
    async stop() {
      await worker?.stop();
      mailer.close();
    },
  };
}
