// The tenants feature's SQL: tenant rows ↔ contract types.
import type { Queryable } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import { seatSummary } from "../../seats/seats.ts";
import type { TenantDetail, UpdateTenantInput } from "./contract.ts";

interface TenantRow {
  id: string;
  name: string;
  allowed_domains: string[];
  invitation_lifetime_days: number;
}

export async function getTenant(
  q: Queryable,
  tenantId: string,
): Promise<TenantDetail> {
  const row = (
    await q.query<TenantRow>(
      "select id, name, allowed_domains, invitation_lifetime_days from tenants where id = $1",
      [tenantId],
    )
  ).rows[0];
  if (!row) throw new AppError("not_found", "No such tenant");
  return {
    id: row.id,
    name: row.name,
    seats: await seatSummary(q, tenantId),
    allowedDomains: row.allowed_domains,
    invitationLifetimeDays: row.invitation_lifetime_days,
  };
}

export async function listTenantIds(
  q: Queryable,
): Promise<{ id: string; name: string }[]> {
  return (
    await q.query<{ id: string; name: string }>(
      "select id, name from tenants order by name, id",
    )
  ).rows;
}

/** Applies the changes under the tenant's row lock; returns what changed (old → new) for the audit. */
export async function updateTenant(
  tx: Queryable,
  tenantId: string,
  input: UpdateTenantInput,
): Promise<Record<string, unknown>> {
  const before = (
    await tx.query<{
      name: string;
      seat_limit: number;
      allowed_domains: string[];
      invitation_lifetime_days: number;
    }>(
      "select name, seat_limit, allowed_domains, invitation_lifetime_days from tenants where id = $1 for update",
      [tenantId],
    )
  ).rows[0];
  if (!before) throw new AppError("not_found", "No such tenant");
  await tx.query(
    `update tenants set name = coalesce($2, name), seat_limit = coalesce($3, seat_limit),
       allowed_domains = coalesce($4::text[], allowed_domains),
       invitation_lifetime_days = coalesce($5, invitation_lifetime_days), updated_at = now()
     where id = $1`,
    [
      tenantId,
      input.name ?? null,
      input.seatLimit ?? null,
      input.allowedDomains ? [...new Set(input.allowedDomains)] : null,
      input.invitationLifetimeDays ?? null,
    ],
  );
  const changes: Record<string, unknown> = {};
  if (input.name !== undefined)
    changes.name = { from: before.name, to: input.name };
  if (input.seatLimit !== undefined)
    changes.seatLimit = { from: before.seat_limit, to: input.seatLimit };
  if (input.allowedDomains !== undefined)
    changes.allowedDomains = {
      from: before.allowed_domains,
      to: input.allowedDomains,
    };
  if (input.invitationLifetimeDays !== undefined) {
    changes.invitationLifetimeDays = {
      from: before.invitation_lifetime_days,
      to: input.invitationLifetimeDays,
    };
  }
  return changes;
}
