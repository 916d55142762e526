// Imports for one tenant arriving at the same moment (two admins, or one admin through two BFF
// instances) on real PostgreSQL: none fails with a deadlock, and together they never take more
// seats than the tenant has. Found by many-instances.test.ts; the seat lock is FOR NO KEY UPDATE.
import { describe, expect, test } from "vitest";
import { enqueueImport } from "../src/pipeline/enqueue.ts";
import { seatSummary } from "../src/seats/seats.ts";
import { ENGINES, openTestDb } from "../src/test/databases.ts";

const actor = { sub: "auth0|admin", email: "admin@globex.test" };

describe.each(ENGINES)("concurrent imports (%s)", (engine) => {
  test(
    "run side by side without deadlocks and within the seat limit",
    { timeout: 60_000 },
    async () => {
      const db = await openTestDb(engine);
      try {
        // globex has 10 seats: 8 imports of 2 people, all at once, can only partly fit
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            enqueueImport(db, {
              tenantId: "globex",
              idempotencyKey: `race-${i}`,
              actor,
              rows: [
                { email: `a${i}@globex.test` },
                { email: `b${i}@globex.test` },
              ],
            }),
          ),
        );
        const failures = results.flatMap((r) =>
          r.status === "rejected" ? [String((r.reason as Error).message)] : [],
        );
        expect(failures.filter((m) => !/seat\(s\) free/.test(m))).toEqual([]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
        expect((await seatSummary(db, "globex")).free).toBe(0);
      } finally {
        await db.close();
      }
    },
  );
});
