// Seeds tenants for the local stack from tenants.json, only when the tenants table is empty, so a
// support user's later changes are never overwritten by a restart.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Db } from "./db.ts";

export const TenantSeed = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  name: z.string().min(1),
  seatLimit: z.number().int().min(0),
  allowedDomains: z.array(z.string()).default([]),
  invitationLifetimeDays: z.number().int().min(1).max(90).default(7),
});
export type TenantSeed = z.input<typeof TenantSeed>;

export async function readTenantsFile(path: string): Promise<TenantSeed[]> {
  const parsed = z
    .object({ tenants: z.array(TenantSeed) })
    .safeParse(JSON.parse(await readFile(path, "utf8")));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.message}`);
  return parsed.data.tenants;
}

/** Inserts the tenants when none exist; returns how many were inserted. */
export async function seedTenants(
  db: Db,
  seeds: TenantSeed[],
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query("lock table tenants in exclusive mode");
    const existing = await tx.query<{ n: number }>(
      "select count(*)::int as n from tenants",
    );
    if ((existing.rows[0]?.n ?? 0) > 0) return 0;
    for (const raw of seeds) {
      const t = TenantSeed.parse(raw);
      await tx.query(
        `insert into tenants (id, name, seat_limit, allowed_domains, invitation_lifetime_days) values ($1, $2, $3, $4, $5)
         on conflict (id) do nothing`,
        [t.id, t.name, t.seatLimit, t.allowedDomains, t.invitationLifetimeDays],
      );
    }
    return seeds.length;
  });
}
