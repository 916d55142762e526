// Every tenant with its seats (support's tenant list).
import type { Queryable } from "../../db/db.ts";
import { seatSummary } from "../../seats/seats.ts";
import type { TenantList } from "./contract.ts";
import { listTenantIds } from "./repository.ts";

export async function listTenants(db: Queryable): Promise<TenantList> {
  const items = [];
  for (const t of await listTenantIds(db))
    items.push({ ...t, seats: await seatSummary(db, t.id) });
  return { items };
}
