// Tenants and seats: list (support), detail (admin of it, support), update (manage:tenants).
import type { Feature } from "../../feature.ts";
import { actorOf, audit } from "../../audit-log.ts";
import { requiresGlobal, requiresOwnOrSupport } from "../../auth.ts";
import { seatSummary } from "../../seats/seats.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  TenantDetail,
  TenantList,
  TenantParams,
  UpdateTenantInput,
} from "./contract.ts";
import { getTenant, listTenantIds, updateTenant } from "./store.ts";

const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const tenantsRoutes: Feature = (app, { db }) => {
  app.get(
    "/tenants",
    {
      config: requiresGlobal("read:all_tenants"),
      schema: { response: { 200: TenantList, ...errors } },
    },
    async () => {
      const tenants = await listTenantIds(db);
      const items = [];
      for (const t of tenants)
        items.push({ ...t, seats: await seatSummary(db, t.id) });
      return { items };
    },
  );

  app.get(
    "/tenants/:tenantId",
    {
      config: requiresOwnOrSupport("read:members", "read:all_tenants"),
      schema: {
        params: TenantParams,
        response: { 200: TenantDetail, ...errors },
      },
    },
    (request) => getTenant(db, request.params.tenantId),
  );

  app.patch(
    "/tenants/:tenantId",
    {
      config: requiresGlobal("manage:tenants"),
      schema: {
        params: TenantParams,
        body: UpdateTenantInput,
        response: { 200: TenantDetail, 400: ErrorBody, ...errors },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      await db.transaction(async (tx) => {
        const changes = await updateTenant(tx, tenantId, request.body);
        await audit(tx, {
          tenantId,
          ...actorOf(request),
          action: "tenant.updated",
          target: tenantId,
          details: changes,
        });
      });
      return getTenant(db, tenantId);
    },
  );
  return Promise.resolve();
};
