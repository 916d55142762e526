// Preview, import, progress and per-row outcomes; invite one person (POST /members) through the
// same pipeline. Handlers stay thin: preview.ts / enqueue.ts / progress.ts do the work.
import { randomUUID } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Feature } from "../../feature.ts";
import { principalOf, requires, requiresOwnOrSupport } from "../../auth.ts";
import { AppError } from "../../errors.ts";
import { LARGE_BODY_LIMIT } from "../../http-limits.ts";
import { enqueueImport } from "../../pipeline/enqueue.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  CreateImportInput,
  IdempotencyHeaders,
  ImportCreated,
  ImportParams,
  ImportProgress,
  ImportRowsPage,
  ImportRowsQuery,
  InviteMemberInput,
  InviteMemberResult,
  OptionalIdempotencyHeaders,
  PreviewInput,
  PreviewResult,
  verdictsOf,
  InvitationsPathParams,
} from "./contract.ts";
import { toCsv } from "./csv.ts";
import { preview } from "./preview.ts";
import { importProgress, importRows } from "./progress.ts";

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
};
const read = requiresOwnOrSupport("read:members", "read:all_tenants");

export const invitationsRoutes: Feature = (app, deps) => {
  const { db, auth0 } = deps;
  const actor = (
    request: FastifyRequest,
  ): { sub: string; email: string | null; requestId: string } => {
    const p = principalOf(request);
    return { sub: p.sub, email: p.email, requestId: request.id };
  };

  app.post(
    "/tenants/:tenantId/invitations/preview",
    {
      config: requires("invite:members"),
      bodyLimit: LARGE_BODY_LIMIT,
      schema: {
        params: InvitationsPathParams,
        body: PreviewInput,
        response: { 200: PreviewResult, ...errors },
      },
    },
    (request) => preview(db, auth0, request.params.tenantId, request.body.rows),
  );

  app.post(
    "/tenants/:tenantId/imports",
    {
      config: requires("invite:members"),
      bodyLimit: LARGE_BODY_LIMIT,
      schema: {
        params: InvitationsPathParams,
        headers: IdempotencyHeaders,
        body: CreateImportInput,
        response: { 202: ImportCreated, ...errors },
      },
    },
    async (request, reply) => {
      const result = await enqueueImport(db, {
        tenantId: request.params.tenantId,
        idempotencyKey: request.headers["idempotency-key"],
        actor: actor(request),
        rows: request.body.rows,
        sourceRows: request.body.sourceRows,
      });
      deps.pipeline?.kick();
      return reply.code(202).send({ importId: result.importId });
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
      const { tenantId } = request.params;
      const key = request.headers["idempotency-key"];
      if (!key) {
        const check = await preview(db, auth0, tenantId, [request.body]);
        const verdict = verdictsOf(check)[0];
        if (verdict && verdict.verdict !== "ready")
          throw new AppError("conflict", verdict.reason ?? verdict.verdict, {
            verdict: verdict.verdict,
          });
      }
      const result = await enqueueImport(db, {
        tenantId,
        idempotencyKey: key ?? `single:${randomUUID()}`,
        actor: actor(request),
        rows: [request.body],
      });
      deps.pipeline?.kick();
      return reply
        .code(202)
        .send({ importId: result.importId, userId: result.userIds[0] ?? "" });
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
      const q = request.query;
      if (q.format === "csv") {
        const { rows } = await importRows(db, tenantId, importId, {
          ...q,
          cursor: 0,
          limit: null,
        });
        const csv = toCsv(
          [
            "row",
            "email",
            "given_name",
            "family_name",
            "role",
            "state",
            "reason",
          ],
          rows.map((r) => [
            r.sourceRow ?? r.row,
            r.email,
            r.givenName,
            r.familyName,
            r.role,
            r.state,
            r.failureReason,
          ]),
        );
        return reply
          .type("text/csv; charset=utf-8")
          .header(
            "content-disposition",
            `attachment; filename="import-${importId}-report.csv"`,
          )
          .send(csv);
      }
      return importRows(db, tenantId, importId, q);
    },
  );
  return Promise.resolve();
};
