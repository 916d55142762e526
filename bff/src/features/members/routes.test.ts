import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { seatSummary } from "../../seats/seats.ts";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { makeInvitation, makeMember } from "../../test/seed-data.ts";
import type { Member, MembersPage } from "./contract.ts";
import { readMembersPage } from "./list.ts";

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await t.tokens.admin("acme");
});
afterAll(() => t.close());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function list(query = "") {
  const res = await t.app.inject({
    url: `/api/tenants/acme/members${query}`,
    headers: auth(admin),
  });
  expect(res.statusCode).toBe(200);
  return res.json<MembersPage>();
}
const find = (page: MembersPage, userId: string): Member | undefined =>
  page.items.find((m) => m.userId === userId);

describe("GET /api/tenants/:tenantId/members", () => {
  test("shows one state badge per person, from invitations and the Auth0 mirror", async () => {
    const emailed = await makeInvitation(t.db, {
      tenantId: "acme",
      state: "emailed",
      givenName: "Ema",
    });
    const accepted = await makeInvitation(t.db, {
      tenantId: "acme",
      state: "accepted",
    });
    const expired = await makeInvitation(t.db, {
      tenantId: "acme",
      state: "emailed",
      expiresAt: new Date(Date.now() - 60_000),
    });
    const verifiedInAuth0 = await makeInvitation(t.db, {
      tenantId: "acme",
      state: "emailed",
    });
    await t.db.query(
      "insert into members (user_id, tenant_id, email, email_verified) values ($1, 'acme', $2, true)",
      [verifiedInAuth0.userId, verifiedInAuth0.email],
    );
    const direct = await makeMember(t.db, {
      tenantId: "acme",
      name: "Dee Rect",
    });
    const blocked = await makeMember(t.db, { tenantId: "acme", blocked: true });
    const page = await list("?limit=200");
    expect(find(page, emailed.userId)).toMatchObject({
      state: "emailed",
      name: "Ema",
      invitedBy: "admin@acme.test",
      emailVerified: false,
    });
    expect(find(page, accepted.userId)?.state).toBe("active");
    expect(find(page, expired.userId)?.state).toBe("expired");
    expect(find(page, verifiedInAuth0.userId)).toMatchObject({
      state: "verified",
      emailVerified: true,
    });
    expect(find(page, direct.userId)).toMatchObject({
      state: "active",
      name: "Dee Rect",
      invitedBy: null,
    });
    expect(find(page, blocked.userId)?.state).toBe("blocked");
  });

  test("syncedAt: null before the first refresh, then the mirror's time; not found for no tenant; one statement per page", async () => {
    const window = { graceMs: 600_000, minIntervalMs: 15_000 };
    const read = (tenant: string) =>
      readMembersPage(t.db, tenant, { limit: 50 }, window);
    await t.db.query("delete from member_sync where tenant_id = 'acme'");
    expect((await read("acme"))?.syncedAt).toBeNull();
    await t.db.query(
      "insert into member_sync (tenant_id, synced_at) values ('acme', '2026-11-30T10:00:00Z')",
    );
    expect((await read("acme"))?.syncedAt?.toISOString()).toBe(
      "2026-11-30T10:00:00.000Z",
    );
    expect(await read("nope")).toBeNull();
    // a tenant with nobody: found, an empty page
    await t.db.query(
      "insert into tenants (id, name, seat_limit) values ('empty-co', 'Empty', 5) on conflict do nothing",
    );
    expect(await read("empty-co")).toMatchObject({
      page: { items: [], nextCursor: null },
      syncedAt: null,
      reconcileDue: false,
    });
    // the page the admin sees, with a fresh mirror and no reconciliation due: one statement in all
    await t.db.query(
      "update member_sync set synced_at = now() where tenant_id = 'acme'",
    );
    await t.db.query(
      `insert into invitation_reconcile (tenant_id, last_run_at) values ('acme', now())
       on conflict (tenant_id) do update set last_run_at = now(), lease_until = null`,
    );
    const statements: string[] = [];
    const query = t.db.query.bind(t.db);
    const spy = vi.spyOn(t.db, "query").mockImplementation((sql, params) => {
      statements.push(sql);
      return query(sql, params);
    });
    try {
      const res = await t.app.inject({
        url: "/api/tenants/acme/members?limit=5",
        headers: auth(admin),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<MembersPage>().syncedAt).not.toBeNull();
    } finally {
      spy.mockRestore();
    }
    expect(statements).toHaveLength(1);
    await t.db.query("delete from member_sync where tenant_id = 'acme'");
  });

  test("rejects a forged cursor with a validation error", async () => {
    const res = await t.app.inject({
      url: "/api/tenants/acme/members?cursor=bm9wZQ",
      headers: auth(admin),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "validation" });
  });
});

describe("POST /api/tenants/:tenantId/members/sync", () => {
  test("mirrors the tenant's Auth0 users and notices users deleted in the dashboard", async () => {
    const a = t.fake.addUser({
      userId: "auth0|syncA",
      email: "sync-a@acme.test",
      tenantId: "acme",
      emailVerified: true,
      lastLogin: "2026-01-02T03:04:05.000Z",
    });
    const b = t.fake.addUser({
      userId: "auth0|syncB",
      email: "sync-b@acme.test",
      tenantId: "acme",
    });
    t.fake.addUser({
      userId: "auth0|syncG",
      email: "sync-g@globex.test",
      tenantId: "globex",
    });
    const sync = () =>
      t.app.inject({
        method: "POST",
        url: "/api/tenants/acme/members/sync",
        headers: auth(admin),
      });
    expect((await sync()).json()).toMatchObject({ ran: true, seen: 2 });
    let page = await list("?q=sync-");
    expect(page.items.map((m) => [m.email, m.state, m.lastLogin])).toEqual([
      ["sync-a@acme.test", "active", "2026-01-02T03:04:05.000Z"],
      ["sync-b@acme.test", "active", null],
    ]);
    t.fake.users.delete(b.userId);
    t.fake.addUser({ ...a, blocked: true });
    expect((await sync()).json()).toMatchObject({ ran: true, removed: 1 });
    page = await list("?q=sync-");
    expect(page.items.map((m) => m.state)).toEqual(["blocked", "removed"]);
  });
});

describe("DELETE /api/tenants/:tenantId/members/:userId", () => {
  const del = (userId: string, token = admin) =>
    t.app.inject({
      method: "DELETE",
      url: `/api/tenants/acme/members/${encodeURIComponent(userId)}`,
      headers: auth(token),
    });

  test("revokes an open invitation: frees the seat, drops the token, removes the created Auth0 user, audits", async () => {
    const inv = await makeInvitation(t.db, {
      tenantId: "acme",
      state: "emailed",
    });
    await t.db.query(
      "update invitations set token_hash = 'h-' || id::text where id = $1",
      [inv.id],
    );
    t.fake.addUser({ userId: inv.userId, email: inv.email, tenantId: "acme" });
    const before = await seatSummary(t.db, "acme");
    const res = await del(inv.userId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userId: inv.userId, outcome: "revoked" });
    const row = (
      await t.db.query<{ state: string; token_hash: string | null }>(
        "select state, token_hash from invitations where id = $1",
        [inv.id],
      )
    ).rows[0];
    expect(row).toEqual({ state: "revoked", token_hash: null });
    expect(t.fake.users.has(inv.userId)).toBe(false);
    expect((await seatSummary(t.db, "acme")).free).toBe(before.free + 1);
    const audit = await t.db.query(
      "select action, target, actor from audit_log where tenant_id = 'acme' and action = 'invitation.revoked' and target = $1",
      [inv.email],
    );
    expect(audit.rows).toEqual([
      {
        action: "invitation.revoked",
        target: inv.email,
        actor: "auth0|admin-acme",
      },
    ]);
    expect((await del(inv.userId)).statusCode).toBe(409);
  });

  test("removes a member: deletes the Auth0 user and frees the seat", async () => {
    const m = await makeMember(t.db, { tenantId: "acme" });
    t.fake.addUser({ userId: m.userId, email: m.email, tenantId: "acme" });
    const before = await seatSummary(t.db, "acme");
    const res = await del(m.userId);
    expect(res.json()).toEqual({ userId: m.userId, outcome: "deleted" });
    expect(t.fake.users.has(m.userId)).toBe(false);
    expect((await seatSummary(t.db, "acme")).used).toBe(before.used - 1);
  });

  test("answers 404 for someone who is not in this tenant", async () => {
    const other = await makeMember(t.db, { tenantId: "globex" });
    t.fake.addUser({
      userId: other.userId,
      email: other.email,
      tenantId: "globex",
    });
    const res = await del(other.userId);
    expect(res.statusCode).toBe(404);
    expect(t.fake.users.has(other.userId)).toBe(true);
  });

  test("blocks instead of deleting when MEMBER_REMOVAL=block", async () => {
    const blocking = await buildTestApp({
      db: t.db,
      env: { MEMBER_REMOVAL: "block" },
    });
    try {
      const m = await makeMember(blocking.db, { tenantId: "acme" });
      blocking.fake.addUser({
        userId: m.userId,
        email: m.email,
        tenantId: "acme",
      });
      const before = await seatSummary(blocking.db, "acme");
      const res = await blocking.app.inject({
        method: "DELETE",
        url: `/api/tenants/acme/members/${encodeURIComponent(m.userId)}`,
        headers: auth(await blocking.tokens.admin("acme")),
      });
      expect(res.json()).toEqual({ userId: m.userId, outcome: "blocked" });
      expect(blocking.fake.users.get(m.userId)?.blocked).toBe(true);
      expect((await seatSummary(blocking.db, "acme")).used).toBe(
        before.used - 1,
      );
    } finally {
      await blocking.close();
    }
  });
});
