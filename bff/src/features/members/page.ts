// GET …/members: the page an admin sees. The mirror is refreshed in the background when stale, and
// used tickets show as accepted at once (Auth0's record, throttled per tenant) before the list is read.
import type { FastifyBaseLogger } from "fastify";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import {
  ON_DEMAND_MIN_INTERVAL_MS,
  reconcileTenantSoon,
  SWEEP_GRACE_MS,
} from "../../invitation-lifecycle/reconcile.ts";
import type { MembersPage, MembersQuery } from "./contract.ts";
import { listMembers, readMembersPage } from "./list.ts";
import type { BackgroundSync } from "./sync.ts";

export async function showMembers(
  deps: { db: Db; auth0: Auth0; background: BackgroundSync },
  tenantId: string,
  query: MembersQuery,
  log: FastifyBaseLogger,
): Promise<MembersPage> {
  const { db, auth0, background } = deps;
  // One statement for the page, the mirror's age and whether Auth0's record is due to be read:
  // the usual view (nothing due) costs one round trip (docs/benchmarks.md, members).
  const read = await readMembersPage(db, tenantId, query, {
    graceMs: SWEEP_GRACE_MS,
    minIntervalMs: ON_DEMAND_MIN_INTERVAL_MS,
  });
  if (!read) throw new AppError("not_found", "No such tenant");
  background.maybeRefresh(tenantId, read.syncedAt);
  let page = read.page;
  if (read.reconcileDue) {
    // Used tickets show as accepted at once: read the page again after the reconciliation.
    await reconcileTenantSoon(db, auth0, tenantId, log);
    page = await listMembers(db, tenantId, query);
  }
  return { ...page, syncedAt: read.syncedAt?.toISOString() ?? null };
}
