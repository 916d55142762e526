// The acceptance rule, and the sweep's Management API cost: one user search per 100 users whose
// password was set in the window of open tickets, never one call per invitation.
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";
import type { Db, Queryable } from "../db/db.ts";
import { createFakeAuth0, type FakeAuth0 } from "../test/fake-auth0.ts";
import { buildTestApp, type TestApp } from "../test/build-test-app.ts";
import {
  acceptedByAuth0,
  CLOCK_SKEW_MS,
  ON_DEMAND_MIN_INTERVAL_MS,
  reconcileTenant,
  reconcileTenantSoon,
  sweepOpenInvitations,
} from "./reconcile.ts";

/** `inner`, recording every statement's text and parameters (also inside transactions). */
function recording(inner: Db): {
  db: Db;
  statements: { sql: string; params: unknown[] | undefined }[];
} {
  const statements: { sql: string; params: unknown[] | undefined }[] = [];
  const wrap = (q: Queryable): Queryable => ({
    query: <T>(sql: string, params?: unknown[]) => {
      statements.push({ sql, params });
      return q.query<T>(sql, params);
    },
    exec: (sql: string) => {
      statements.push({ sql, params: undefined });
      return q.exec(sql);
    },
  });
  const db: Db = {
    ...wrap(inner),
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
    engine: inner.engine,
  };
  return { db, statements };
}

describe("acceptedByAuth0", () => {
  const issued = new Date("2026-11-30T10:00:00.000Z");
  const record = {
    emailVerified: true,
    lastPasswordReset: null as string | null,
    lastLogin: null as string | null,
    loginsCount: 0,
  };
  test.each([
    ["no password, no login", {}, null],
    [
      "password set after the ticket",
      { lastPasswordReset: "2026-11-30T10:03:00.000Z" },
      "password_set",
    ],
    [
      "password set within the clock-skew allowance before it",
      {
        lastPasswordReset: new Date(
          issued.getTime() - CLOCK_SKEW_MS + 1000,
        ).toISOString(),
      },
      "password_set",
    ],
    [
      "password set well before the ticket",
      { lastPasswordReset: "2026-11-30T09:00:00.000Z" },
      null,
    ],
    ["signed in (logins_count)", { loginsCount: 2 }, "signed_in"],
    [
      "signed in (last_login)",
      { lastLogin: "2026-11-30T11:00:00.000Z" },
      "signed_in",
    ],
  ])("%s", (_name, change, expected) => {
    expect(acceptedByAuth0({ ...record, ...change }, issued)).toBe(expected);
  });
  test("no ticket issued: only a sign-in counts", () => {
    expect(
      acceptedByAuth0(
        { ...record, lastPasswordReset: "2026-11-30T10:03:00.000Z" },
        null,
      ),
    ).toBeNull();
  });
});

describe("the sweep", { timeout: 120_000 }, () => {
  let t: TestApp;
  let fake: FakeAuth0;
  let db: Db;
  beforeAll(async () => {
    fake = createFakeAuth0();
    t = await buildTestApp({ auth0: fake });
    db = t.db;
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await db.query("delete from invitation_reconcile");
    await db.query("delete from audit_log");
    await db.query("delete from invitations");
    fake.users.clear();
    fake.calls.length = 0;
  });

  /** n open invitations in acme; `ticketed` of them had a ticket issued 10 minutes ago. */
  async function openInvitations(n: number, ticketed: number) {
    await db.query(
      `insert into invitations (id, tenant_id, row_number, email, user_id, state, expires_at, invited_by,
          ticket_issued_at, ticket_expires_at)
       select gen_random_uuid(), 'acme', g, 'p' || g || '@acme.test', 'auth0|sweep' || lpad(g::text, 6, '0'),
          'emailed', now() + interval '7 days', 'auth0|admin',
          case when g <= $2 then now() - interval '10 minutes' end,
          case when g <= $2 then now() + interval '5 minutes' end
       from generate_series(1, $1) g`,
      [n, ticketed],
    );
    for (let g = 1; g <= n; g++)
      fake.addUser({
        userId: `auth0|sweep${String(g).padStart(6, "0")}`,
        email: `p${g}@acme.test`,
        tenantId: "acme",
      });
  }
  function setPassword(from: number, to: number, at = new Date()) {
    for (let g = from; g <= to; g++) {
      const id = `auth0|sweep${String(g).padStart(6, "0")}`;
      const u = fake.users.get(id);
      if (u)
        fake.users.set(id, {
          ...u,
          emailVerified: true,
          lastPasswordReset: at.toISOString(),
        });
    }
  }
  const count = async (state: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          "select count(*) as n from invitations where state = $1",
          [state],
        )
      ).rows[0]?.n,
    );

  test("1,200 open invitations, all with tickets, 300 used: ≤ 6 calls (5 per 1,000), 300 accepted", async () => {
    await openInvitations(1200, 1200);
    setPassword(1, 300);
    // 250 members who accepted long ago also had passwords set: outside the window, not returned.
    for (let i = 0; i < 250; i++)
      fake.addUser({
        userId: `auth0|old${i}`,
        email: `old${i}@acme.test`,
        tenantId: "acme",
        lastPasswordReset: new Date(Date.now() - 86_400_000).toISOString(),
      });
    const r = await sweepOpenInvitations(db, fake);
    expect(r.accepted).toBe(300);
    expect(r.calls).toBe(3);
    expect(r.calls).toBeLessThanOrEqual((1200 / 1000) * 5);
    expect(
      fake.calls.every((c) => c.startsWith("searchPasswordResetsSince:acme:")),
    ).toBe(true);
    expect(await count("accepted")).toBe(300);
    expect(await count("emailed")).toBe(900);
    const audits = await db.query(
      "select details from audit_log where action = 'invitation.accepted'",
    );
    expect(audits.rowCount).toBe(300);
    expect(JSON.stringify(audits.rows[0])).toContain("auth0:password_set");
  });

  test("open invitations without a used or live ticket cost nothing", async () => {
    await openInvitations(1500, 0);
    const r = await sweepOpenInvitations(db, fake);
    expect(r.calls).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  test("more than 1,000 passwords in the window: continues past Auth0's 1,000-result cap", async () => {
    await openInvitations(1100, 1100);
    const base = Date.now() - 5 * 60_000;
    for (let g = 1; g <= 1100; g++) setPassword(g, g, new Date(base + g * 10));
    const r = await sweepOpenInvitations(db, fake);
    expect(r.accepted).toBe(1100);
    expect(r.calls).toBeLessThanOrEqual(12);
    expect(await count("accepted")).toBe(1100);
  });

  test("throttled: a second run within the interval makes no call; a used ticket is found on the next", async () => {
    await openInvitations(10, 10);
    expect((await reconcileTenant(db, fake, "acme", 60_000)).ran).toBe(true);
    setPassword(1, 1);
    const second = await reconcileTenant(db, fake, "acme", 60_000);
    expect(second).toEqual({ ran: false, calls: 0, accepted: 0 });
    await db.query(
      "update invitation_reconcile set last_run_at = now() - interval '2 minutes'",
    );
    const third = await reconcileTenant(db, fake, "acme", 60_000);
    expect(third.accepted).toBe(1);
  });

  test("a throttled page view runs one read-only statement and reads no ticket", async () => {
    await openInvitations(200, 200);
    expect(
      (await reconcileTenant(db, fake, "acme", ON_DEMAND_MIN_INTERVAL_MS)).ran,
    ).toBe(true);
    const before = (await db.query("select * from invitation_reconcile")).rows;
    fake.calls.length = 0;
    const { db: counted, statements } = recording(db);
    await reconcileTenantSoon(counted, fake, "acme", t.app.log);
    // One statement: no ticket select (findOpenTickets), no lease taken or written.
    expect(statements).toHaveLength(1);
    const [due] = statements;
    expect(due?.sql).not.toMatch(/select id::text, user_id, ticket_issued_at/);
    expect(due?.sql).not.toMatch(/insert|update/i);
    expect(fake.calls).toEqual([]);
    expect((await db.query("select * from invitation_reconcile")).rows).toEqual(
      before,
    );
    // And that statement reads no invitation: its ticket check is never executed when throttled.
    const plan = (
      await db.query<{ "QUERY PLAN": string }>(
        `explain (analyze, costs off, timing off, summary off) ${due?.sql ?? ""}`,
        due?.params,
      )
    ).rows
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    expect(plan).toMatch(/on invitations[^\n]*\(never executed\)/);
    expect(plan).not.toMatch(/on invitations[^\n]*\(actual rows/);
  });

  test("no ticket open: one read-only statement, no lease row", async () => {
    await openInvitations(300, 0);
    const { db: counted, statements } = recording(db);
    expect(
      await reconcileTenant(counted, fake, "acme", ON_DEMAND_MIN_INTERVAL_MS),
    ).toEqual({ ran: false, calls: 0, accepted: 0 });
    expect(statements).toHaveLength(1);
    expect(
      (await db.query("select * from invitation_reconcile")).rowCount,
    ).toBe(0);
  });

  test("tickets gone after the check: the lease is dropped, the throttle unchanged", async () => {
    await openInvitations(5, 5);
    const { db: counted, statements } = recording(db);
    // Close the tickets right after the due check (as a concurrent accept would).
    const closing: Db = {
      ...counted,
      query: async <T>(sql: string, params?: unknown[]) => {
        const r = await counted.query<T>(sql, params);
        if (statements.length === 1)
          await db.query("update invitations set state = 'accepted'");
        return r;
      },
    };
    expect(
      await reconcileTenant(closing, fake, "acme", ON_DEMAND_MIN_INTERVAL_MS),
    ).toEqual({ ran: false, calls: 0, accepted: 0 });
    expect(fake.calls).toEqual([]);
    const row = (
      await db.query<{ lease_until: unknown; last_run_at: unknown }>(
        "select lease_until, last_run_at from invitation_reconcile",
      )
    ).rows[0];
    expect(row).toEqual({ lease_until: null, last_run_at: null });
  });

  test("the Members page reconciles the tenant before listing", async () => {
    await openInvitations(3, 3);
    setPassword(2, 2);
    const res = await t.app.inject({
      method: "GET",
      url: "/api/tenants/acme/members?limit=50",
      headers: { authorization: `Bearer ${await t.tokens.admin("acme")}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { email: string; state: string }[] }>()
      .items;
    expect(items.find((i) => i.email === "p2@acme.test")?.state).toBe("active");
    expect(items.find((i) => i.email === "p1@acme.test")?.state).toBe(
      "emailed",
    );
  });
});
