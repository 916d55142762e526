// PATCH a tenant: the change and its audit entry in one transaction; answers the tenant as it is now.
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import type { TenantDetail, UpdateTenantInput } from "./contract.ts";
import { getTenant, updateTenant } from "./repository.ts";

export async function changeTenant(
  db: Db,
  tenantId: string,
  input: UpdateTenantInput,
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
): Promise<TenantDetail> {
  await db.transaction(async (tx) => {
    const changes = await updateTenant(tx, tenantId, input);
    await audit(tx, {
      tenantId,
      ...actor,
      action: "tenant.updated",
      target: tenantId,
      details: changes,
    });
  });
  return getTenant(db, tenantId);
}
