// pnpm bench:fairness — the fair-share scenario (test/fairness-scenario.ts) as a benchmark: two
// real BFF processes on one PostgreSQL database, the emulated Auth0 tenant on the Free plan.
// Tenant B imports 2,000 people alone, then again while tenant A floods previews, members
// refreshes and resends on both instances and 20 of B's invitees accept. Prints B alone vs B
// under the flood, the ratio, accept latencies, 429s from Auth0 and what A's requests got.
// Needs PostgreSQL: DATABASE_URL or TEST_DATABASE_URL (an empty database; the run uses its own
// schema and drops it afterwards).
import { percentile, runFairnessScenario } from "../test/fairness-scenario.ts";

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      "bench:fairness needs PostgreSQL (two instances share it): set DATABASE_URL=postgres://…",
    );
    process.exit(2);
  }
  const r = await runFairnessScenario(databaseUrl, (line) => console.log(line));
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log("");
  console.log(
    `B's import of 2,000 alone:         ${r.bAloneSeconds.toFixed(1)} s`,
  );
  console.log(
    `B's import of 2,000 under A flood: ${r.bFloodSeconds.toFixed(1)} s`,
  );
  console.log(
    `ratio:                             ${r.ratio.toFixed(2)}× (target ≤ 1.5×)`,
  );
  console.log(
    `accepts (POST → 303 ticket URL):   ${r.acceptStatuses.filter((a) => a.accept === 303 && a.ticket > 0 && a.ticket < 400).length}/${r.acceptStatuses.length} ok; ` +
      `p50 ${ms(percentile(r.acceptMs, 50))}, p95 ${ms(percentile(r.acceptMs, 95))}, max ${ms(Math.max(...r.acceptMs))}`,
  );
  console.log(`429 responses from Auth0:          ${r.auth0TooMany}`);
  console.log(`B's rows failed:                   ${r.bFailed}`);
  console.log(
    `tenant A's requests:               ${Object.entries(r.floodAnswers)
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}; slowest answer ${ms(r.floodSlowestMs)}`,
  );
  console.log(
    `Management API calls in the flood: ${Object.entries(r.callsByKind)
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
