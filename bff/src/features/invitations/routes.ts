// Invitations: preview, import, progress and per-row outcomes; invite one person (POST /members)
// through the same pipeline; resend to one person or many. Handlers stay thin: preview.ts,
// invite.ts, progress.ts, resend.ts and the pipeline's enqueue.ts do the work.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../../audit-log.ts";
import { principalOf, requires, requiresOwnOrSupport } from "../../auth.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { LARGE_BODY_LIMIT } from "../../http-limits.ts";
import { enqueueImport, type EnqueueInput } from "../../pipeline/enqueue.ts";
import type { PipelineHandle } from "../../pipeline/worker.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  BulkResendInput,
  BulkResendResult,
  CreateImportInput,
  IdempotencyHeaders,
  ImportCreated,
  ImportParams,
  ImportProgress,
  ImportRowsPage,
  ImportRowsQuery,
  InvitationsPathParams,
  InviteMemberInput,
  InviteMemberResult,
  OptionalIdempotencyHeaders,
  PreviewInput,
  PreviewResult,
  ResendParams,
  ResendResult,
} from "./contract.ts";
import { inviteOne } from "./invite.ts";
import { preview } from "./preview.ts";
import { importBodyCompiler, previewBodyCompiler } from "./row-bodies.ts";
import { importProgress, importReportCsv, importRows } from "./progress.ts";
import { resendMany, resendOne } from "./resend.ts";

export interface InvitationsDeps {
  db: Db;
  /** the preview looks a few addresses up (users by email) */
  auth0: Pick<Auth0, "usersByEmail">;
  /** woken after work was enqueued (an import, an invite, a resend) */
  pipeline: PipelineHandle;
}

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
};
const { 413: _tooLarge, ...resendErrors } = errors;
const read = requiresOwnOrSupport("read:members", "read:all_tenants");
const resend = requiresOwnOrSupport("resend:invitations");

/** Who enqueued an import (imports.created_by). */
function importActor(request: FastifyRequest): EnqueueInput["actor"] {
  const p = principalOf(request);
  return { sub: p.sub, email: p.email, requestId: request.id };
}

export const invitationsRoutes: Feature<InvitationsDeps> = (
  app,
  { db, auth0, pipeline },
) => {
  app.post(
    "/tenants/:tenantId/invitations/preview",
    {
      config: requires("invite:members"),
      bodyLimit: LARGE_BODY_LIMIT,
      // the rows as columns or as objects; zod-free checks, zod's own 400s (row-bodies.ts)
      validatorCompiler: previewBodyCompiler,
      schema: {
        params: InvitationsPathParams,
        body: PreviewInput,
        response: { 200: PreviewResult, ...errors },
      },
    },
    (request) => preview(db, auth0, request.params.tenantId, request.body),
  );

  app.post(
    "/tenants/:tenantId/imports",
    {
      config: requires("invite:members"),
      bodyLimit: LARGE_BODY_LIMIT,
      // zod-free row checks in place, zod's own 400s (row-bodies.ts)
      validatorCompiler: importBodyCompiler,
      schema: {
        params: InvitationsPathParams,
        headers: IdempotencyHeaders,
        body: CreateImportInput,
        response: { 202: ImportCreated, ...errors },
      },
    },
    async (request, reply) => {
      const { importId } = await enqueueImport(db, {
        tenantId: request.params.tenantId,
        idempotencyKey: request.headers["idempotency-key"],
        actor: importActor(request),
        rows: request.body.rows,
        sourceRows: request.body.sourceRows,
      });
      pipeline.kick();
      return reply.code(202).send({ importId });
    },
  );

  app.post(
    "/tenants/:tenantId/members",
    {
      config: requires("invite:members"),
      schema: {
        params: InvitationsPathParams,
        headers: OptionalIdempotencyHeaders,
        body: InviteMemberInput,
        response: { 202: InviteMemberResult, ...errors },
      },
    },
    async (request, reply) => {
      const invited = await inviteOne(
        { db, auth0 },
        request.params.tenantId,
        request.body,
        request.headers["idempotency-key"],
        importActor(request),
      );
      pipeline.kick();
      return reply.code(202).send(invited);
    },
  );

  app.get(
    "/tenants/:tenantId/imports/:importId",
    {
      config: read,
      schema: {
        params: ImportParams,
        response: { 200: ImportProgress, ...errors },
      },
    },
    (request) =>
      importProgress(db, request.params.tenantId, request.params.importId),
  );

  app.get(
    "/tenants/:tenantId/imports/:importId/rows",
    {
      config: read,
      schema: {
        params: ImportParams,
        querystring: ImportRowsQuery,
        response: { 200: z.union([ImportRowsPage, z.string()]), ...errors },
      },
    },
    async (request, reply) => {
      const { tenantId, importId } = request.params;
      if (request.query.format !== "csv")
        return importRows(db, tenantId, importId, request.query);
      const csv = await importReportCsv(db, tenantId, importId, request.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="import-${importId}-report.csv"`,
        )
        .send(csv);
    },
  );

  app.post(
    "/tenants/:tenantId/members/:userId/resend",
    {
      config: resend,
      schema: {
        params: ResendParams,
        response: { 202: ResendResult, ...resendErrors },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.params;
      const { email } = await resendOne(db, tenantId, userId, actorOf(request));
      pipeline.kick();
      return reply.code(202).send({ userId, email, status: "queued" as const });
    },
  );

  app.post(
    "/tenants/:tenantId/invitations/resend",
    {
      config: resend,
      schema: {
        params: InvitationsPathParams,
        body: BulkResendInput,
        response: { 202: BulkResendResult, ...resendErrors },
      },
    },
    async (request, reply) => {
      const count = await resendMany(
        db,
        request.params.tenantId,
        request.body,
        actorOf(request),
      );
      pipeline.kick();
      return reply.code(202).send({ count });
    },
  );
  return Promise.resolve();
};
