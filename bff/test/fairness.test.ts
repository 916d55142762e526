// FAIRNESS: one admin's burst slows only that admin's tenant (docs/decisions/009-fair-share-of-the-auth0-budget.md).
// Two real BFF processes on one PostgreSQL database, the emulated Auth0 tenant on the Free plan
// (burst 2, 2/s). Tenant A floods previews, members refreshes and resends on both instances while
// tenant B imports 2,000 people and 20 of B's invitees accept (test/fairness-scenario.ts). B's
// import finishes within 1.5× of its time alone, every accept gets its ticket, and Auth0 never
// answered 429. Needs TEST_DATABASE_URL (scripts/test.sh provides it).
import { describe, expect, test } from "vitest";
import { percentile, runFairnessScenario } from "./fairness-scenario.ts";

const DATABASE_URL = process.env.TEST_DATABASE_URL;

if (!DATABASE_URL)
  console.log(
    "[fairness] SKIPPED: TEST_DATABASE_URL is not set (scripts/test.sh starts a PostgreSQL server)",
  );

describe.skipIf(!DATABASE_URL)(
  "fair share of the Auth0 budget, two instances",
  () => {
    test(
      "tenant A's flood neither slows tenant B's import nor fails an accept, and Auth0 never says 429",
      { timeout: 420_000 },
      async () => {
        const r = await runFairnessScenario(DATABASE_URL ?? "", (line) =>
          console.log(`[fairness] ${line}`),
        );
        console.log(
          `[fairness] B alone ${r.bAloneSeconds.toFixed(1)} s, under A's flood ${r.bFloodSeconds.toFixed(1)} s ` +
            `(${r.ratio.toFixed(2)}×); accepts p50 ${percentile(r.acceptMs, 50).toFixed(0)} ms, max ${Math.max(...r.acceptMs).toFixed(0)} ms; ` +
            `Auth0 429s ${r.auth0TooMany}; A got ${JSON.stringify(r.floodAnswers)}, slowest ${r.floodSlowestMs.toFixed(0)} ms; ` +
            `calls during the flood ${JSON.stringify(r.callsByKind)}`,
        );
        expect(r.bFailed).toBe(0);
        expect(r.auth0TooMany).toBe(0);
        expect(r.acceptStatuses).toHaveLength(20);
        for (const a of r.acceptStatuses) {
          expect(a.accept).toBe(303);
          expect(a.location).toMatch(/[?&]ticket=/);
          expect(a.ticket).toBeGreaterThanOrEqual(200);
          expect(a.ticket).toBeLessThan(400);
        }
        expect(r.ratio).toBeLessThanOrEqual(1.5);
        // A flooded and was answered quickly (results, or 429 with Retry-After) instead of being
        // held for up to 10 s per request; its look-ups still got part of the budget.
        expect(r.floodAnswers["preview 200"] ?? 0).toBeGreaterThan(0);
        expect(r.floodAnswers["preview 429"] ?? 0).toBeGreaterThan(0);
        expect(
          r.callsByKind["GET /api/v2/users-by-email"] ?? 0,
        ).toBeGreaterThan(0);
        expect(r.floodSlowestMs).toBeLessThan(8_000);
      },
    );
  },
);
