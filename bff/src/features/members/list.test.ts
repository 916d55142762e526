import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../db/db.ts";
import { ENGINES, openTestDb } from "../../test/databases.ts";
import { listMembers } from "./list.ts";

describe.each(ENGINES)("members paging at 10,000 on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(engine);
    await db.query(
      "insert into tenants (id, name, seat_limit) values ('big', 'Big Co', 20000)",
    );
    await db.query(`
      insert into invitations (id, tenant_id, email, given_name, user_id, state, invited_by, expires_at)
      select gen_random_uuid(), 'big', 'p' || lpad(g::text, 5, '0') || '@big.test', 'Person ' || g, 'auth0|bulk' || g,
        case when g % 10 = 0 then 'accepted' when g % 97 = 0 then 'failed' else 'emailed' end,
        'auth0|admin', now() + interval '7 days'
      from generate_series(1, 8000) g`);
    await db.query(`
      insert into members (user_id, tenant_id, email, name, email_verified, blocked)
      select 'auth0|direct' || g, 'big', 'd' || lpad(g::text, 5, '0') || '@big.test', 'Direct ' || g, true, g % 50 = 0
      from generate_series(1, 2000) g`);
    // Noise in another tenant that must never show up.
    await db.query(`
      insert into members (user_id, tenant_id, email, name) select 'auth0|other' || g, 'globex', 'o' || g || '@big.test', null
      from generate_series(1, 500) g`);
    await db.query("analyze");
  });
  afterAll(() => db.close());

  test("walks all 10,000 rows in email order with stable cursors, each page fast", async () => {
    const seen: string[] = [];
    const timings: number[] = [];
    let cursor: string | undefined;
    do {
      const started = performance.now();
      const page = await listMembers(db, "big", {
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      timings.push(performance.now() - started);
      seen.push(...page.items.map((m) => m.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
    expect([...seen].sort()).toEqual(seen);
    expect(seen.some((e) => e.startsWith("o"))).toBe(false);
    // Keyset paging: the last page costs about what the first does (no OFFSET scan).
    const slowest = Math.max(...timings);
    console.log(
      `[${engine}] 50 pages of 200: median ${timings.sort((a, b) => a - b)[25]?.toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms`,
    );
    expect(slowest).toBeLessThan(1_500);
  });

  test("filters by state and searches by email prefix or name", async () => {
    const blocked = await listMembers(db, "big", {
      limit: 200,
      state: "blocked",
    });
    expect(blocked.items).toHaveLength(40);
    expect(blocked.items.every((m) => m.state === "blocked")).toBe(true);
    const active = await listMembers(db, "big", {
      limit: 200,
      state: "active",
      q: "p001",
    });
    expect(active.items.map((m) => m.email)).toEqual([
      "p00100@big.test",
      "p00110@big.test",
      "p00120@big.test",
      "p00130@big.test",
      "p00140@big.test",
      "p00150@big.test",
      "p00160@big.test",
      "p00170@big.test",
      "p00180@big.test",
      "p00190@big.test",
    ]);
    const byName = await listMembers(db, "big", { limit: 5, q: "direct 1999" });
    expect(byName.items.map((m) => m.userId)).toEqual(["auth0|direct1999"]);
    const wildcard = await listMembers(db, "big", { limit: 5, q: "%" });
    expect(wildcard.items).toEqual([]);
  });
});
