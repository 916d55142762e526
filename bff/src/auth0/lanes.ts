// Lanes of the shared Auth0 Management API budget: who a call is spent for. Every budget
// acquisition names one, so one admin's burst slows only that admin's tenant
// (docs/decisions/009-fair-share-of-the-auth0-budget.md):
//   - "invitee": the invitee's pages (accept, tickets): reserved headroom, served first;
//   - "tenant:<id>": whatever an admin of that tenant triggered (preview, members refresh, the
//     import pipeline working for the tenant);
//   - "system": everything else (sweeps, health checks, support searches across tenants).
// The lane travels with the async context (AsyncLocalStorage), so the Auth0 adapter does not
// need a lane argument on every method: an HTTP request's lane is set once per route (app.ts), a
// pipeline step's once per claimed batch.
import { AsyncLocalStorage } from "node:async_hooks";

export type Lane = "invitee" | "system" | `tenant:${string}`;

export interface LaneContext {
  lane: Lane;
  /**
   * Until when (epoch ms) calls in this context may wait for budget tokens, in total; a call
   * that would wait beyond it fails with `rate_limited`, so an interactive request answers 429
   * with Retry-After instead of hanging. Unset: each call waits up to the budget's default
   * (30 s), for background work.
   */
  deadline?: number;
}

const storage = new AsyncLocalStorage<LaneContext>();

export const tenantLane = (tenantId: string): Lane => `tenant:${tenantId}`;

/** Runs fn with every Management API call inside it charged to `context`'s lane. */
export function inLane<T>(context: LaneContext | Lane, fn: () => T): T {
  return storage.run(
    typeof context === "string" ? { lane: context } : context,
    fn,
  );
}

/** The lane of the calling code; "system" when nobody named one. */
export function currentLane(): LaneContext {
  return storage.getStore() ?? { lane: "system" };
}
