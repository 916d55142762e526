// PATCH …/members/:userId {role}: one Auth0 call per change, the last admin stays, every change and
// refusal audited; the members list shows and filters by role.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PreviewResult, verdictsOf } from "../../contract.ts";
import {
  buildTestApp,
  TEST_TENANTS,
  type TestApp,
} from "../../test/build-test-app.ts";
import { FAKE_ADMIN_ROLE_ID } from "../../test/fake-auth0.ts";
import { makeInvitation, makeMember } from "../../test/seed-data.ts";

let t: TestApp;
const TENANTS = [
  ...TEST_TENANTS,
  ...["solo", "duo", "roles"].map((id) => ({
    id,
    name: id,
    seatLimit: 50,
    allowedDomains: [`${id}.test`],
    invitationLifetimeDays: 7,
  })),
];
beforeAll(async () => {
  t = await buildTestApp({ mutationsPerMinute: 100_000, tenants: TENANTS });
});
afterAll(() => t.close());

const holders = () => {
  const role = t.fake.roles.get(FAKE_ADMIN_ROLE_ID);
  if (!role) throw new Error("no admin role in the fake");
  return role.users;
};

async function person(tenantId: string, admin: boolean) {
  const m = await makeMember(t.db, { tenantId });
  t.fake.addUser({ userId: m.userId, email: m.email, tenantId });
  if (admin) holders().add(m.userId);
  return m;
}

async function patch(
  tenantId: string,
  userId: string,
  body: unknown,
  token?: string,
) {
  return t.app.inject({
    method: "PATCH",
    url: `/api/tenants/${tenantId}/members/${encodeURIComponent(userId)}`,
    headers: {
      authorization: `Bearer ${token ?? (await t.tokens.admin(tenantId))}`,
    },
    payload: body as Record<string, unknown>,
  });
}

async function audits(target: string) {
  const r = await t.db.query<{
    action: string;
    actor: string;
    details: Record<string, unknown>;
  }>(
    "select action, actor, details from audit_log where target = $1 order by id",
    [target],
  );
  return r.rows;
}

describe("PATCH /api/tenants/:tenantId/members/:userId", () => {
  test("promotes with one POST /users/{id}/roles and demotes with one DELETE; audited who, whom, from, to", async () => {
    await person("roles", true);
    const m = await person("roles", false);
    const token = await t.tokens.admin("roles", { sub: "auth0|boss" });
    const before = t.fake.calls.length;
    const up = await patch("roles", m.userId, { role: "admin" }, token);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ userId: m.userId, role: "admin" });
    expect(
      t.fake.calls
        .slice(before)
        .filter((c) => /^(add|remove)UserRole|^assignRole/.test(c)),
    ).toEqual([`addUserRole:${m.userId}:${FAKE_ADMIN_ROLE_ID}`]);
    expect(holders().has(m.userId)).toBe(true);

    const mark = t.fake.calls.length;
    const down = await patch("roles", m.userId, { role: "member" }, token);
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({ role: "member" });
    expect(t.fake.calls.slice(mark).filter((c) => /UserRole/.test(c))).toEqual([
      `removeUserRole:${m.userId}:${FAKE_ADMIN_ROLE_ID}`,
    ]);
    expect(holders().has(m.userId)).toBe(false);
    expect(await audits(m.email)).toEqual([
      {
        action: "member.role_changed",
        actor: "auth0|boss",
        details: { userId: m.userId, from: "member", to: "admin" },
      },
      {
        action: "member.role_changed",
        actor: "auth0|boss",
        details: { userId: m.userId, from: "admin", to: "member" },
      },
    ]);
  });

  test("the last admin cannot be demoted (409 naming the last admin, audited, nothing changed in Auth0)", async () => {
    const only = await person("solo", true);
    const res = await patch("solo", only.userId, { role: "member" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("last admin") as string,
      details: { reason: "last_admin" },
    });
    expect(holders().has(only.userId)).toBe(true);
    expect(t.fake.calls).not.toContain(
      `removeUserRole:${only.userId}:${FAKE_ADMIN_ROLE_ID}`,
    );
    expect(await audits(only.email)).toEqual([
      expect.objectContaining({
        action: "member.role_change_refused",
        details: expect.objectContaining({ reason: "last_admin" }) as unknown,
      }),
    ]);
  });

  test("two admins demoting each other at once leave one admin", async () => {
    const a = await person("duo", true);
    const b = await person("duo", true);
    const [ra, rb] = await Promise.all([
      patch("duo", a.userId, { role: "member" }),
      patch("duo", b.userId, { role: "member" }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].filter((p) => holders().has(p.userId))).toHaveLength(1);
  });

  test("an invitation whose user is not created yet changes without an Auth0 call; the pipeline grants it later", async () => {
    const inv = await makeInvitation(t.db, {
      tenantId: "roles",
      state: "queued",
    });
    const before = t.fake.calls.length;
    const res = await patch("roles", inv.userId, { role: "admin" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ role: "admin", state: "queued" });
    expect(t.fake.calls.slice(before)).toEqual([]);
    const row = await t.db.query<{ role: string }>(
      "select role from invitations where id = $1",
      [inv.id],
    );
    expect(row.rows[0]?.role).toBe("admin");
  });

  test("only member or admin: forged role names and unknown fields are 400, nothing reaches Auth0", async () => {
    const m = await person("roles", false);
    const before = t.fake.calls.length;
    for (const body of [
      { role: "support" },
      { role: "Support" },
      { role: "owner" },
      { role: "Customer admin" },
      { role: FAKE_ADMIN_ROLE_ID },
      { role: "admin", roleId: FAKE_ADMIN_ROLE_ID },
      {},
    ]) {
      const res = await patch("roles", m.userId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: "validation" });
    }
    expect(t.fake.calls.slice(before)).toEqual([]);
  });

  test("another tenant's admin and a plain member are 403; support may change any tenant's roles", async () => {
    const m = await person("roles", false);
    const other = await patch(
      "roles",
      m.userId,
      { role: "admin" },
      await t.tokens.admin("acme"),
    );
    expect(other.statusCode).toBe(403);
    const plain = await t.tokens.sign({ tenant: "roles", permissions: [] });
    expect(
      (await patch("roles", m.userId, { role: "admin" }, plain)).statusCode,
    ).toBe(403);
    expect(holders().has(m.userId)).toBe(false);

    const support = await t.tokens.support({ sub: "auth0|support-1" });
    const res = await patch("roles", m.userId, { role: "admin" }, support);
    expect(res.statusCode, res.body).toBe(200);
    expect(holders().has(m.userId)).toBe(true);
    expect(await audits(m.email)).toEqual([
      expect.objectContaining({
        action: "member.role_changed",
        actor: "auth0|support-1",
      }),
    ]);
  });

  test("a person of another tenant is 404 (never changed through the wrong tenant)", async () => {
    const stranger = await person("acme", false);
    const res = await patch("roles", stranger.userId, { role: "admin" });
    expect(res.statusCode).toBe(404);
    expect(holders().has(stranger.userId)).toBe(false);
  });
});

describe("GET …/members: role", () => {
  test("each item has its role and ?role= filters", async () => {
    const admin = await person("roles", false);
    await patch("roles", admin.userId, { role: "admin" });
    const invited = await makeInvitation(t.db, {
      tenantId: "roles",
      state: "queued",
    });
    await t.db.query("update invitations set role = 'admin' where id = $1", [
      invited.id,
    ]);
    const token = await t.tokens.admin("roles");
    const list = async (q: string) =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/tenants/roles/members?limit=200${q}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).json<{ items: { userId: string; role: string }[] }>().items;
    const all = await list("");
    expect(all.find((i) => i.userId === admin.userId)?.role).toBe("admin");
    expect(all.find((i) => i.userId === invited.userId)?.role).toBe("admin");
    expect(all.some((i) => i.role === "member")).toBe(true);
    const admins = await list("&role=admin");
    expect(admins.length).toBeGreaterThan(0);
    expect(admins.every((i) => i.role === "admin")).toBe(true);
    expect(admins.map((i) => i.userId)).toEqual(
      expect.arrayContaining([admin.userId, invited.userId]),
    );
    const members = await list("&role=member");
    expect(members.every((i) => i.role === "member")).toBe(true);
    expect(members.length + admins.length).toBe(all.length);
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/tenants/roles/members?role=support",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe("seats", () => {
  test("admins take a seat like anyone else", async () => {
    await t.db.query("update tenants set seat_limit = 0 where id = 'duo'");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/tenants/duo/invitations/preview",
      headers: { authorization: `Bearer ${await t.tokens.admin("duo")}` },
      payload: { rows: [{ email: "boss@duo.test", role: "admin" }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(verdictsOf(PreviewResult.parse(res.json()))[0]?.verdict).toBe(
      "over_seat_limit",
    );
  });
});
