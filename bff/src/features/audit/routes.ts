// GET /api/tenants/:tenantId/audit: newest first, keyset-paged on id (admin of it, support).
import type { Feature } from "../../feature.ts";
import { requiresOwnOrSupport } from "../../auth.ts";
import { ErrorBody } from "../../shared-contract.ts";
import { AuditPage, AuditQuery } from "./contract.ts";
import { z } from "zod";

const Params = z.object({ tenantId: z.string().min(1).max(63) });

interface Row {
  id: string;
  tenant_id: string | null;
  actor: string;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  request_id: string | null;
  created_at: Date | string;
}

export const auditRoutes: Feature = (app, { db }) => {
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
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = (
        await db.query<Row>(
          `select id::text, tenant_id, actor, actor_email, action, target, details, request_id, created_at from audit_log
           where tenant_id = $1 and ($2::bigint is null or id < $2::bigint) order by id desc limit $3`,
          [request.params.tenantId, cursor ?? null, limit + 1],
        )
      ).rows;
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          tenantId: r.tenant_id,
          actor: r.actor,
          actorEmail: r.actor_email,
          action: r.action,
          target: r.target,
          details: r.details ?? {},
          requestId: r.request_id,
          createdAt: new Date(r.created_at).toISOString(),
        })),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
  return Promise.resolve();
};
