// GET /api/tenants/:tenantId/audit: newest first, keyset-paged on id (admin of it, support).
import { z } from "zod";
import { requiresOwnOrSupport } from "../../auth.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { ErrorBody } from "../../shared-contract.ts";
import { AuditPage, AuditQuery } from "./contract.ts";
import { listAuditEntries } from "./list.ts";

export interface AuditDeps {
  db: Db;
}

const Params = z.object({ tenantId: z.string().min(1).max(63) });

export const auditRoutes: Feature<AuditDeps> = (app, { db }) => {
  app.get(
    "/tenants/:tenantId/audit",
    {
      config: requiresOwnOrSupport("read:members", "read:all_tenants"),
      schema: {
        params: Params,
        querystring: AuditQuery,
        response: {
          200: AuditPage,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    (request) => listAuditEntries(db, request.params.tenantId, request.query),
  );
  return Promise.resolve();
};
