// Tenants and seats: list (support), detail (admin of it, support), update (manage:tenants).
import { actorOf } from "../../audit-log.ts";
import { requiresGlobal, requiresOwnOrSupport } from "../../auth.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  TenantDetail,
  TenantList,
  TenantParams,
  UpdateTenantInput,
} from "./contract.ts";
import { listTenants } from "./list.ts";
import { getTenant } from "./repository.ts";
import { changeTenant } from "./update.ts";

export interface TenantsDeps {
  db: Db;
}

const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const tenantsRoutes: Feature<TenantsDeps> = (app, { db }) => {
  app.get(
    "/tenants",
    {
      config: requiresGlobal("read:all_tenants"),
      schema: { response: { 200: TenantList, ...errors } },
    },
    () => listTenants(db),
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
    (request) =>
      changeTenant(db, request.params.tenantId, request.body, actorOf(request)),
  );
  return Promise.resolve();
};
