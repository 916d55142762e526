// The authorisation matrix over EVERY /api route (read from the app's route registry, so routes
// added later are covered automatically): no token, another tenant's admin, support staff, a token
// without the permission, and another tenant's ids in path and body. None may read or change
// another tenant's data.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RegisteredRoute } from "../auth.ts";
import { buildTestApp, type TestApp } from "./build-test-app.ts";
import { makeImport, makeInvitation, makeMember } from "./seed-data.ts";

let t: TestApp;
let routes: RegisteredRoute[];
const victim = {
  tenant: "globex",
  invited: "bob@globex.test",
  member: "carol@globex.test",
  userId: "",
  memberId: "",
  importId: "",
};

beforeAll(async () => {
  t = await buildTestApp({ mutationsPerMinute: 100_000 });
  victim.importId = await makeImport(t.db, "globex");
  const inv = await makeInvitation(t.db, {
    tenantId: "globex",
    email: victim.invited,
    importId: victim.importId,
    state: "emailed",
    givenName: "Robertsecret",
  });
  victim.userId = inv.userId;
  t.fake.addUser({
    userId: inv.userId,
    email: victim.invited,
    tenantId: "globex",
  });
  const mem = await makeMember(t.db, {
    tenantId: "globex",
    email: victim.member,
  });
  victim.memberId = mem.userId;
  t.fake.addUser({
    userId: mem.userId,
    email: victim.member,
    tenantId: "globex",
    emailVerified: true,
  });
  routes = t.app.apiRoutes.filter(
    (r) => !("public" in r.auth && r.auth.public),
  );
});
afterAll(() => t.close());

/** Fills a route pattern with the victim's ids (or `tenant` for :tenantId). */
function urlFor(route: RegisteredRoute, tenant: string): string {
  return `/api${route.url.replace(/^\/api/, "")}`
    .replace(":tenantId", tenant)
    .replace(":userId", encodeURIComponent(victim.userId))
    .replace(":importId", victim.importId)
    .replace(/:[A-Za-z]+/g, "x");
}

const hostileBody = () => ({
  tenantId: victim.tenant,
  rows: [{ email: victim.invited }, { email: "new-person@acme.test" }],
  email: victim.invited,
  userId: victim.userId,
  seatLimit: 1_000,
  state: "emailed",
});

async function call(route: RegisteredRoute, tenant: string, token?: string) {
  const hasBody = !["GET", "DELETE"].includes(route.method);
  return t.app.inject({
    method: route.method as "GET",
    url: urlFor(route, tenant),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "idempotency-key": `k-${Math.random()}`,
    },
    ...(hasBody ? { payload: hostileBody() } : {}),
  });
}

/** What support staff (read:all_tenants) may do on a tenant that is not theirs: reads and resends. */
function supportMayUse(route: RegisteredRoute): boolean {
  if (route.method === "GET") return true;
  if (/resend|password-link|verification-link|members\/sync/.test(route.url))
    return true;
  // support changes anyone's role in any tenant (issue 13)
  if (route.method === "PATCH" && route.url.endsWith("/members/:userId"))
    return true;
  return isTenantSettings(route); // manage:tenants
}

const isTenantSettings = (route: RegisteredRoute) =>
  route.method === "PATCH" && route.url.endsWith("/tenants/:tenantId");

const isSignedInOnly = (r: RegisteredRoute) =>
  !("public" in r.auth) && r.auth.permissions.length === 0;

async function victimSnapshot() {
  const inv = await t.db.query(
    "select state, token_hash, revoked_at, role, role_due_at from invitations where tenant_id = 'globex' order by id",
  );
  const mem = await t.db.query(
    "select blocked, removed_at, role from members where tenant_id = 'globex' order by user_id",
  );
  const ten = await t.db.query(
    "select seat_limit, allowed_domains, name from tenants where id = 'globex'",
  );
  const imp = await t.db.query(
    "select count(*)::int as n from imports where tenant_id = 'globex'",
  );
  return JSON.stringify([
    inv.rows,
    mem.rows,
    ten.rows,
    imp.rows,
    [...t.fake.users.keys()].sort(),
    [...t.fake.roles].map(([id, r]) => [id, r.name, [...r.users].sort()]),
  ]);
}

describe("authorisation matrix", () => {
  test("covers the core routes", () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        "GET /api/me",
        "GET /api/tenants",
        "GET /api/tenants/:tenantId",
        "PATCH /api/tenants/:tenantId",
        "GET /api/tenants/:tenantId/members",
        "DELETE /api/tenants/:tenantId/members/:userId",
        "PATCH /api/tenants/:tenantId/members/:userId",
        "GET /api/tenants/:tenantId/audit",
        "GET /api/support/users",
      ]),
    );
  });

  test("every route refuses a request without a token (401)", async () => {
    for (const route of routes) {
      const res = await call(route, victim.tenant);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json(), `${route.method} ${route.url}`).toMatchObject({
        code: "unauthorized",
      });
    }
  });

  test("another tenant's admin is refused on every tenant route (403)", async () => {
    const before = await victimSnapshot();
    const token = await t.tokens.admin("acme");
    for (const route of routes.filter((r) => !isSignedInOnly(r))) {
      const res = await call(route, victim.tenant, token);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(res.json(), `${route.method} ${route.url}`).toMatchObject({
        code: "forbidden",
        statusCode: 403,
      });
    }
    expect(await victimSnapshot()).toBe(before);
  });

  test("support staff may only read and resend on a tenant", async () => {
    const token = await t.tokens.support({
      permissions: ["read:all_tenants", "resend:invitations"],
    });
    for (const route of routes.filter(
      (r) => !isSignedInOnly(r) && r.url.includes(":tenantId"),
    )) {
      const res = await call(route, victim.tenant, token);
      if (supportMayUse(route) && !isTenantSettings(route))
        expect(res.statusCode, `${route.method} ${route.url}`).not.toBe(403);
      else expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });

  test("a token without the route's permission is refused (403), even on its own tenant", async () => {
    const before = await victimSnapshot();
    const token = await t.tokens.sign({
      sub: "auth0|nobody",
      tenant: victim.tenant,
      permissions: [],
    });
    for (const route of routes.filter((r) => !isSignedInOnly(r))) {
      const res = await call(route, victim.tenant, token);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    expect(await victimSnapshot()).toBe(before);
  });

  test("another tenant's ids in path and body neither leak nor change anything", async () => {
    const before = await victimSnapshot();
    const token = await t.tokens.admin("acme", {
      permissions: [
        "read:members",
        "invite:members",
        "revoke:members",
        "resend:invitations",
        "manage:tenants",
      ],
    });
    for (const route of routes.filter((r) => r.url.includes(":tenantId"))) {
      const res = await call(route, "acme", token);
      const where = `${route.method} ${route.url} → ${res.statusCode}`;
      expect(res.statusCode, where).not.toBe(500);
      // The body carries the victim's invitee email itself; what must not appear is data it did not carry.
      expect(res.body, where).not.toContain(victim.member);
      expect(res.body, where).not.toContain("Robertsecret");
      if (route.method === "GET")
        expect(res.body, where).not.toContain(victim.invited);
      if (route.url.includes(":userId") || route.url.includes(":importId"))
        expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
    }
    expect(await victimSnapshot()).toBe(before);
  });

  test("role changes: only member or admin, only in one's own tenant; never Support or a forged role", async () => {
    const before = await victimSnapshot();
    const url = `/api/tenants/${victim.tenant}/members/${encodeURIComponent(victim.memberId)}`;
    const patchRole = async (token: string, body: unknown) =>
      t.app.inject({
        method: "PATCH",
        url,
        headers: { authorization: `Bearer ${token}` },
        payload: body as Record<string, unknown>,
      });
    // another tenant's admin, and a plain member of the tenant itself
    for (const token of [
      await t.tokens.admin("acme"),
      await t.tokens.sign({ tenant: victim.tenant, permissions: [] }),
    ])
      expect((await patchRole(token, { role: "admin" })).statusCode).toBe(403);
    // the tenant's own admin: forged role names never reach Auth0
    const own = await t.tokens.admin(victim.tenant);
    for (const role of [
      "support",
      "Support",
      "owner",
      "Owner",
      "Customer admin",
      "rol_Support0000001",
      "admin ",
      ["admin"],
      null,
    ]) {
      const res = await patchRole(own, { role });
      expect(res.statusCode, JSON.stringify(role)).toBe(400);
    }
    // a forged permission claim does not help another tenant's admin either
    const forged = await t.tokens.admin("acme", {
      permissions: ["invite:members", "manage:tenants", "revoke:members"],
    });
    expect((await patchRole(forged, { role: "admin" })).statusCode).toBe(403);
    expect(await victimSnapshot()).toBe(before);
  });
});
