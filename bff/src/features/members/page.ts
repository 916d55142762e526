// GET …/members: the page an admin sees. The mirror is refreshed in the background when stale, and
// used tickets show as accepted at once (Auth0's record, throttled per tenant) before the list is read.
import type { FastifyBaseLogger } from "fastify";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { reconcileTenantSoon } from "../../invitation-lifecycle/reconcile.ts";
import type { MembersPage, MembersQuery } from "./contract.ts";
import { listMembers } from "./list.ts";
import { tenantSyncedAt } from "./repository.ts";
import type { BackgroundSync } from "./sync.ts";

export async function showMembers(
  deps: { db: Db; auth0: Auth0; background: BackgroundSync },
  tenantId: string,
  query: MembersQuery,
  log: FastifyBaseLogger,
): Promise<MembersPage> {
  const { db, auth0, background } = deps;
  const syncedAt = await tenantSyncedAt(db, tenantId);
  background.maybeRefresh(tenantId, syncedAt);
  await reconcileTenantSoon(db, auth0, tenantId, log);
  const page = await listMembers(db, tenantId, query);
  return { ...page, syncedAt: syncedAt?.toISOString() ?? null };
}
