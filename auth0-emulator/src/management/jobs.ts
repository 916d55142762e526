// Jobs (spec operations post_users-imports, get_jobs_by_id, get_errors, post_verification-email).
import type { FastifyInstance } from "fastify";
import { randomAlnum, type EmuJob, type Store } from "../store/index.ts";
import { logBodyAs } from "../limits/request-log.ts";
import { sendEmail } from "../tickets/outbox.ts";
import { createTicket } from "../tickets/ticket-store.ts";
import { MgmtError, invalidBody } from "./errors.ts";
import {
  MAX_IMPORT_BYTES,
  readImportUpload,
  tooLarge,
} from "./import-upload.ts";
import { ACTIVE_STATUSES } from "./import-worker.ts";
import { jobSettings } from "./job-settings.ts";
import { payloadValidator } from "./payload.ts";
import { verificationEmailSchema } from "./schemas.ts";

/** BUI: "There is a limit of two concurrent import jobs per tenant." The refusal is UNCONFIRMED. */
export const MAX_ACTIVE_IMPORTS = 2;
const verificationValidator = payloadValidator(verificationEmailSchema);
const jobNotFound = (): MgmtError =>
  new MgmtError(404, "Job not found.", "inexistent_job");

/** The refusal of a third concurrent import: 429 or 400 per the control switch (UNCONFIRMED). */
export function concurrentRefusal(store: Store, active: number): MgmtError {
  const message = `There are already ${String(active)} active import jobs. Please wait until they finish and try again.`;
  return jobSettings(store).concurrentRefusal === "400"
    ? new MgmtError(400, message, "too_many_import_jobs")
    : new MgmtError(429, message, "too_many_requests");
}

/** Control: a job as Auth0 shows it once expired (status `expired`); its file is dropped. */
export function expireJob(store: Store, id: string): EmuJob | undefined {
  return store.jobs.update(id, (job) => {
    job.status = "expired";
    delete job.users;
  });
}

function parseUsers(file: Buffer): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(file.toString("utf8"));
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function jobView(store: Store, job: EmuJob): Record<string, unknown> {
  const {
    users: _u,
    errors: _e,
    upsert: _up,
    send_completion_email: _s,
    processed,
    started_ms: _st,
    summary,
    ...rest
  } = job;
  const view: Record<string, unknown> = { ...rest };
  if (job.status === "processing" && summary) {
    const done = processed ?? 0;
    view.percentage_done =
      summary.total === 0 ? 100 : Math.floor((done / summary.total) * 100);
    view.time_left_seconds = Math.ceil(
      (summary.total - done) / jobSettings(store).usersPerSecond,
    );
  }
  if (job.status === "completed" && summary) view.summary = summary;
  return view;
}

export function jobsRoutes(
  app: FastifyInstance,
  store: Store,
  baseUrl: string,
): void {
  app.post(
    "/jobs/users-imports",
    {
      config: { scopes: ["create:users"] },
      // hapi-style check of the whole payload size, before any of it is read
      onRequest: (req, _reply, done) => {
        const length = Number(req.headers["content-length"] ?? 0);
        done(length > MAX_IMPORT_BYTES ? tooLarge() : undefined);
      },
    },
    async (req, reply) => {
      const upload = await readImportUpload(req);
      logBodyAs(req, upload.summary);
      const connection = store.connections.get(upload.connection_id);
      if (!connection) throw invalidBody("The connection does not exist.");
      const active = store.jobs
        .list()
        .filter(
          (j) =>
            j.type === "users_import" && ACTIVE_STATUSES.includes(j.status),
        );
      if (active.length >= MAX_ACTIVE_IMPORTS)
        throw concurrentRefusal(store, active.length);
      const job: EmuJob = {
        id: `job_${randomAlnum(16)}`,
        type: "users_import",
        status: "pending",
        connection_id: connection.id,
        connection: connection.name,
        created_at: new Date().toISOString(),
        upsert: upload.upsert,
        send_completion_email: upload.send_completion_email,
        ...(upload.external_id !== undefined
          ? { external_id: upload.external_id }
          : {}),
      };
      const users = parseUsers(upload.users);
      if (users) job.users = users;
      store.jobs.save(job);
      return reply.code(202).send(jobView(store, job));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/jobs/:id",
    { config: { scopes: ["create:users", "read:users"] } },
    (req) => {
      const job = store.jobs.get(req.params.id);
      if (!job) throw jobNotFound();
      return jobView(store, job);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/jobs/:id/errors",
    { config: { scopes: ["create:users", "read:users"] } },
    async (req, reply) => {
      const job = store.jobs.get(req.params.id);
      if (!job)
        throw new MgmtError(404, "The job does not exist", "inexistent_job");
      if (job.status === "failed") {
        const { id, type, status, connection_id, status_details, created_at } =
          job;
        return {
          id,
          type,
          status,
          created_at,
          ...(connection_id ? { connection_id } : {}),
          ...(status_details ? { status_details } : {}),
        };
      }
      if (!job.errors || job.errors.length === 0) return reply.code(204).send();
      return job.errors;
    },
  );

  app.post(
    "/jobs/verification-email",
    { config: { scopes: ["update:users"] } },
    async (req, reply) => {
      const body = verificationValidator.check<{
        user_id: string;
        client_id?: string;
      }>(req.body, req.headers["content-type"]);
      if (body.client_id !== undefined && !store.clients.get(body.client_id)) {
        throw new MgmtError(
          400,
          "The client does not exist",
          "inexistent_client",
        );
      }
      const user = store.users.get(body.user_id);
      if (!user) throw new MgmtError(404, "User not found.", "inexistent_user");
      // Auth0 emails a verification link; the emulator puts it in the outbox (GET /__emulator/emails).
      const link = createTicket(store, baseUrl, {
        kind: "email-verification",
        user_id: user.user_id,
        ...(body.client_id ? { client_id: body.client_id } : {}),
      });
      sendEmail(store, { to: user.email, template: "verify_email", link });
      const job: EmuJob = {
        id: `job_${randomAlnum(16)}`,
        type: "verification_email",
        status: "pending",
        created_at: new Date().toISOString(),
      };
      store.jobs.save({ ...job, status: "completed" });
      return reply.code(201).send(job);
    },
  );
}
