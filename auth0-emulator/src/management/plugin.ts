// The Management API subset (`/api/v2`, registered with that prefix by app.ts). Every route needs a
// bearer token for `<baseUrl>/api/v2/` with one of the operation's scopes; errors use Auth0's body.
import multipart from "@fastify/multipart";
import type { FastifyError, FastifyPluginAsync } from "fastify";
import type { Store } from "../store/index.ts";
import { bearerAuth, type TokenVerifier } from "./auth.ts";
import { connectionClientsRoutes, connectionsRoutes } from "./connections.ts";
import { MgmtError, errorBody, sendError } from "./errors.ts";
import { MAX_IMPORT_BYTES } from "./import-upload.ts";
import { startImportWorker } from "./import-worker.ts";
import { tenantConfigRoutes } from "./tenant-config/plugin.ts";
import { jobsRoutes } from "./jobs.ts";
import { promptsRoutes } from "./prompts.ts";
import { roleAssignmentRoutes, roleMembersRoutes } from "./role-members.ts";
import { ticketsRoutes } from "./tickets.ts";
import { usersListRoutes } from "./users-list.ts";
import { usersRoutes } from "./users.ts";

export interface ManagementPluginOptions {
  store: Store;
  baseUrl: string;
  /** LOGIN's Keys; only `verify` is used here */
  keys: TokenVerifier;
  /** how often the import worker advances jobs (ms); default 100 */
  jobTickMs?: number;
}

function fastifyErrorToMgmt(err: FastifyError): MgmtError {
  if (err instanceof MgmtError) return err;
  if (
    err.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
    err.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
  ) {
    return new MgmtError(
      400,
      "Invalid request payload JSON format",
      "invalid_body",
    );
  }
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new MgmtError(
      413,
      "Payload content length greater than maximum allowed: 1048576",
    );
  }
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return new MgmtError(415, "Unsupported Media Type");
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new MgmtError(status, err.message);
  return new MgmtError(500, "Internal error.");
}

export const managementPlugin: FastifyPluginAsync<
  ManagementPluginOptions
> = async (app, opts) => {
  const { store, baseUrl, keys } = opts;
  const base = baseUrl.replace(/\/+$/, "");
  if (!app.hasContentTypeParser("multipart/form-data")) {
    await app.register(multipart, {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 20 },
    });
  }

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const mgmt = fastifyErrorToMgmt(err);
    if (mgmt.statusCode >= 500) req.log.error({ err }, "management api error");
    return sendError(reply, mgmt);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send(errorBody(404, "Not Found")),
  );

  app.addHook("onRequest", bearerAuth(keys, `${base}/api/v2/`));

  usersRoutes(app, store);
  usersListRoutes(app, store);
  roleMembersRoutes(app, store);
  roleAssignmentRoutes(app, store);
  jobsRoutes(app, store, base);
  ticketsRoutes(app, store, base);
  connectionsRoutes(app, store);
  connectionClientsRoutes(app, store);
  promptsRoutes(app, store);
  tenantConfigRoutes(app, store, base);

  const stop = startImportWorker(store, opts.jobTickMs ?? 100);
  app.addHook("onClose", (_instance, done) => {
    stop();
    done();
  });
};
