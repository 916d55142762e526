import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../db/db.ts";
import { ENGINES, openTestDb } from "../../test/databases.ts";
import { listMembers, readMembersPage } from "./list.ts";
import type { Member, MemberState } from "./contract.ts";
import { inlineParameters, literal } from "../../db/generic-plans.ts";
import { listQuery, type ListArgs } from "./repository.ts";

/** A fresh test database on `engine` with one tenant of `seats` seats. */
async function dbWithTenant(
  engine: (typeof ENGINES)[number],
  id: string,
  name: string,
  seats: number,
): Promise<Db> {
  const db = await openTestDb(engine);
  await db.query(
    "insert into tenants (id, name, seat_limit) values ($1, $2, $3)",
    [id, name, seats],
  );
  return db;
}

describe.each(ENGINES)("members paging at 10,000 on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await dbWithTenant(engine, "big", "Big Co", 20000);
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

describe.each(ENGINES)("members list query plans on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await dbWithTenant(engine, "big", "Big Co", 200000);
    await db.query(`
      insert into invitations (id, tenant_id, email, given_name, family_name, user_id, state, invited_by, expires_at)
      select gen_random_uuid(), 'big', 'p' || lpad(g::text, 6, '0') || '@big.test', 'Person', 'Number' || g, 'auth0|bulk' || g,
        case when g % 10 = 0 then 'accepted' when g % 97 = 0 then 'failed' else 'emailed' end,
        'auth0|admin', now() + interval '7 days'
      from generate_series(1, 40000) g`);
    await db.query(`
      insert into members (user_id, tenant_id, email, name, email_verified, blocked)
      select 'auth0|direct' || g, 'big', 'd' || lpad(g::text, 6, '0') || '@big.test', 'Direct ' || g, true, g % 50 = 0
      from generate_series(1, 10000) g`);
    await db.query("analyze");
  });
  afterAll(() => db.close());

  /** The first page (51 rows) of "big" with `args`. */
  const bigList = (args: Partial<ListArgs>) =>
    listQuery({
      tenantId: "big",
      after: null,
      pattern: null,
      state: undefined,
      limit: 51,
      ...args,
    });

  // enable_seqscan=off in this transaction only: proves the index is usable, whatever the table size.
  const plan = (args: Partial<ListArgs>): Promise<string> =>
    db.transaction(async (tx) => {
      await tx.query("set local enable_seqscan = off");
      const { sql, params } = bigList(args);
      const rows = (
        await tx.query<{ "QUERY PLAN": string }>(`explain ${sql}`, params)
      ).rows;
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });

  test("a search by part of an email or name uses the trigram indexes", async () => {
    const p = await plan({ pattern: "%ber4217%" });
    expect(p).toMatch(/Bitmap Index Scan on invitations_search/);
    expect(p).toMatch(/Bitmap Index Scan on members_search/);
  });

  test("a search matching almost everyone stops after its walk instead of sorting every match", async () => {
    // '@big.test' matches all 50,000 people: each part's walk (4 pages from the cursor, in order)
    // finds a page of matches, so the trigram sort is never executed and no scan returns more rows.
    const { sql, params } = listQuery({
      tenantId: "big",
      after: ["p020000@big.test", "auth0|bulk20000"],
      pattern: "%@big.test%",
      state: undefined,
      limit: 51,
    });
    const analyzed = (
      await db.query<{ "QUERY PLAN": string }>(
        `explain (analyze, costs off, timing off) ${sql}`,
        params,
      )
    ).rows.map((r) => r["QUERY PLAN"]);
    const scanned = analyzed
      .filter((line) => /Scan/.test(line))
      .map((line) => Number(/rows=(\d+)/.exec(line)?.[1] ?? 0));
    expect(Math.max(...scanned)).toBeLessThan(1_000); // of 50,000 matches
    expect(analyzed.join("\n")).toMatch(/One-Time Filter: \(NOT/);
  });

  test("a search's sort reads the trigram matches: no state index, no unused join to the mirror", async () => {
    // With a state, the sort must not walk the state's rows (the planner cannot estimate a rare
    // `like`); without a state or role, the invitations' keys need no members join (PostgreSQL 15
    // kept it: a hash join over every member). docs/benchmarks.md, members.
    const sql = (state: ListArgs["state"]) =>
      listQuery({
        tenantId: "big",
        after: null,
        pattern: "%number12%",
        state,
        limit: 51,
      });
    const withState = sql("active");
    expect(withState.sql).toMatch(/\(i\.state \|\| ''\) = 'accepted'/);
    const p = await plan({ pattern: "%number4217%", state: "active" });
    expect(p).toMatch(/Bitmap Index Scan on invitations_search/);
    const plain = (
      await db.query<{ "QUERY PLAN": string }>(
        `explain ${sql(undefined).sql}`,
        sql(undefined).params,
      )
    ).rows.map((r) => r["QUERY PLAN"]);
    // members is read only by its own part and for the page's rows (by primary key)
    expect(plain.join("\n")).not.toMatch(/Hash.*Join|Seq Scan on members/);
  });

  test("paging walks the (tenant, email, user_id) btree indexes from the cursor", async () => {
    const p = await plan({ after: ["p020000@big.test", "auth0|bulk20000"] });
    // (tenant_id, email, user_id) or (email): either walks in keyset order from the cursor.
    expect(p).toMatch(
      /Index (Only )?Scan using invitations_(tenant_)?email on invitations i .*\n\s+Index Cond: \(.*email/,
    );
    expect(p).toMatch(
      /Index (Only )?Scan using members_tenant_(email|uninvited) on members/,
    );
    expect(p).not.toMatch(/Seq Scan|->\s+Sort\b/);
  });

  test("state filters walk the state btree indexes", async () => {
    const failed = await plan({ state: "failed" });
    expect(failed).toMatch(
      /Index (Only )?Scan using invitations_tenant_state(_email)? on invitations/,
    );
    expect(failed).not.toMatch(/Seq Scan/);
    const blocked = await plan({ state: "blocked" });
    expect(blocked).toMatch(/Scan (on|using) members_tenant_blocked/);
    expect(blocked).not.toMatch(/Seq Scan/);
  });

  test("the plan PGlite makes once per tenant (generic: cursor and pattern unknown) reads the same indexes", async () => {
    // db/generic-plans.ts: the tenant and page size are in the text, the rest are parameters.
    let prepared = 0;
    const generic = async (args: Partial<ListArgs>): Promise<string> => {
      const { sql, params } = bigList(args);
      const { text, values } = inlineParameters(sql, params, [0, 1]);
      const name = `generic_plan_test_${++prepared}`;
      // as runGeneric runs it: prepared, then executed with plan_cache_mode = force_generic_plan
      return db.transaction(async (tx) => {
        await tx.exec(`prepare ${name} as ${text}`);
        await tx.query("set local plan_cache_mode = force_generic_plan");
        const args = values.length ? `(${values.map(literal).join(", ")})` : "";
        const rows = (
          await tx.query<{ "QUERY PLAN": string }>(
            `explain execute ${name}${args}`,
          )
        ).rows;
        await tx.exec(`deallocate ${name}`);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    };
    const search = await generic({ pattern: "%ber4217%" });
    expect(search).toMatch(/Bitmap Index Scan on invitations_search/);
    expect(search).toMatch(/Bitmap Index Scan on members_search/);
    const searchActive = await generic({
      pattern: "%ber4217%",
      state: "active",
    });
    expect(searchActive).toMatch(/Bitmap Index Scan on invitations_search/);
    const paging = await generic({
      after: ["p020000@big.test", "auth0|bulk20000"],
    });
    expect(paging).toMatch(
      /Index (Only )?Scan using invitations_(tenant_)?email on invitations i .*\n\s+Index Cond: \(.*email/,
    );
    expect(paging).not.toMatch(/Seq Scan|->\s+Sort\b/);
    // a generic plan that estimated the tenant from an average walked every invitation for
    // blocked (db.ts, withCustomPlans); with the tenant in the text it starts from the mirror
    const blocked = await generic({ state: "blocked" });
    expect(blocked).toMatch(/Scan (on|using) members_tenant_blocked/);
    expect(blocked).not.toMatch(/Seq Scan/);
  });
});

describe.each(ENGINES)("members list filters on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await dbWithTenant(engine, "mix", "Mix", 1000);
    // Every stored state × no mirror / verified / blocked / removed in Auth0 × expired or not.
    await db.query(`
      insert into invitations (id, tenant_id, email, user_id, state, invited_by, expires_at)
      select gen_random_uuid(), 'mix', s || '.' || k || '.' || e || '@mix.test', 'auth0|' || s || k || e, s, 'auth0|admin',
        case when e = 1 then now() - interval '1 hour' else now() + interval '1 day' end
      from unnest(array['queued','importing','created','emailed','verified','accepted','failed','revoked']) s,
        generate_series(0, 3) k, generate_series(0, 1) e`);
    // k (the second-last character of user_id): 0 no mirror, 1 verified, 2 blocked, 3 removed.
    await db.query(`
      insert into members (user_id, tenant_id, email, email_verified, blocked, removed_at)
      select user_id, 'mix', email, true, k = '2', case when k = '3' then now() end
      from (select user_id, email, state, substr(user_id, length(user_id) - 1, 1) as k
            from invitations where tenant_id = 'mix') x
      where k <> '0' and state in ('created', 'emailed', 'verified', 'accepted')`);
  });
  afterAll(() => db.close());

  test("a state filter returns exactly the people showing that badge", async () => {
    await db.query(`
      insert into members (user_id, tenant_id, email, email_verified, blocked, removed_at)
      select 'auth0|direct' || g, 'mix', 'direct.' || g || '@mix.test', g % 2 = 0, g = 2, case when g = 3 then now() end
      from generate_series(0, 3) g`);
    const all = (await listMembers(db, "mix", { limit: 200 })).items;
    expect(all.length).toBeGreaterThan(60);
    const states = new Set(all.map((m) => m.state));
    expect(states.size).toBe(11);
    for (const state of states) {
      const filtered = (await listMembers(db, "mix", { limit: 200, state }))
        .items;
      expect(
        filtered.map((m) => m.userId),
        state,
      ).toEqual(all.filter((m) => m.state === state).map((m) => m.userId));
    }
  });

  test("the page as the route reads it (one JSON value) equals the list read as rows", async () => {
    const window = { graceMs: 600_000, minIntervalMs: 15_000 };
    for (const query of [
      { limit: 200 },
      { limit: 7 },
      { limit: 50, state: "expired" as const },
      { limit: 50, q: "mix.test" },
      { limit: 50, q: "accepted", role: "member" as const },
    ]) {
      const page = await readMembersPage(db, "mix", query, window);
      expect(page?.page, JSON.stringify(query)).toEqual(
        await listMembers(db, "mix", query),
      );
    }
  });
});

describe.each(ENGINES)("members search pages on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await dbWithTenant(engine, "srch", "Search Co", 10000);
    // Dense (every invitee's domain), common (one family name in 7), rare (one person) and absent
    // terms, in invitations of several states and in the mirror with and without an invitation.
    await db.query(`
      insert into invitations (id, tenant_id, email, given_name, family_name, user_id, state, invited_by, expires_at)
      select gen_random_uuid(), 'srch', 'inv' || lpad(g::text, 4, '0') || '@acme.test', 'Given' || (g % 5),
        (array['Hopper','Lovelace','Turing','Knuth','Liskov','Ritchie','Wirth'])[1 + g % 7], 'auth0|i' || g,
        case when g % 4 = 0 then 'accepted' when g % 11 = 0 then 'failed' else 'emailed' end, 'auth0|admin',
        case when g % 13 = 0 then now() - interval '1 day' else now() + interval '7 days' end
      from generate_series(1, 600) g`);
    await db.query(`
      insert into members (user_id, tenant_id, email, name, email_verified, blocked, removed_at)
      select user_id, tenant_id, email, given_name || ' ' || family_name, true, g % 9 = 0, null
      from (select *, row_number() over (order by email) as g from invitations where tenant_id = 'srch' and state = 'accepted') a`);
    await db.query(`
      insert into members (user_id, tenant_id, email, name, email_verified, blocked, removed_at)
      select 'auth0|m' || g, 'srch', 'mem' || lpad(g::text, 4, '0') || '@partner.test',
        'Member ' || (array['Hopper','Okafor'])[1 + g % 2], true, g % 10 = 0, case when g % 25 = 0 then now() end
      from generate_series(1, 300) g`);
    // The other tenant has the same terms and must never show up.
    await db.query(`
      insert into members (user_id, tenant_id, email, name) select 'auth0|x' || g, 'globex', 'inv' || g || '@acme.test', 'Hopper'
      from generate_series(1, 50) g`);
  });
  afterAll(() => db.close());

  /** Every page of a search, walked with its cursors. */
  const walk = async (
    q: string,
    state: MemberState | undefined,
    limit: number,
  ): Promise<Member[]> => {
    const items: Member[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMembers(db, "srch", {
        limit,
        q,
        ...(state ? { state } : {}),
        ...(cursor ? { cursor } : {}),
      });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  };

  test("every search returns exactly the matching people of the list, in list order, page by page", async () => {
    const texts = new Map(
      (
        await db.query<{ user_id: string; search: string }>(
          `select user_id, search from invitations where tenant_id = 'srch'
           union all select user_id, search from members where tenant_id = 'srch' and not invited`,
        )
      ).rows.map((r) => [r.user_id, r.search]),
    );
    const everyone = await walk("", undefined, 200);
    expect(everyone.length).toBe(900);
    // dense (acme.test: every invitee; partner.test: every mirror-only person), common, rare, absent
    const terms = [
      "acme.test",
      "partner.test",
      "hopper",
      "okafor",
      "inv0042",
      "zzz",
      "given3 tur",
    ];
    const states: (MemberState | undefined)[] = [
      undefined,
      "active",
      "blocked",
      "expired",
      "emailed", // the mirror's condition holds for people without a mirror row (left join)
      "verified",
    ];
    for (const q of terms)
      for (const state of states)
        for (const limit of [3, 50]) {
          const expected = everyone.filter(
            (m) =>
              (texts.get(m.userId) ?? "").includes(q) &&
              (state === undefined || m.state === state),
          );
          expect(
            (await walk(q, state, limit)).map((m) => m.userId),
            `${q} ${state} ${limit}`,
          ).toEqual(expected.map((m) => m.userId));
        }
  });
});
