import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("GET /api/me", () => {
  test("returns the user, the tenant and the permissions of a good token", async () => {
    const token = await t.tokens.admin("acme");
    const res = await t.app.inject({
      url: "/api/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { sub: "auth0|admin-acme", email: "admin@acme.test", name: null },
      tenant: { id: "acme", name: "Acme Corp" },
      permissions: [
        "read:members",
        "invite:members",
        "revoke:members",
        "resend:invitations",
      ],
    });
  });

  test("gives support staff no tenant", async () => {
    const res = await t.app.inject({
      url: "/api/me",
      headers: { authorization: `Bearer ${await t.tokens.support()}` },
    });
    expect(res.json()).toMatchObject({
      tenant: null,
      permissions: ["read:all_tenants", "resend:invitations", "manage:tenants"],
    });
  });

  test("drops permissions it does not know", async () => {
    const token = await t.tokens.sign({
      tenant: "acme",
      permissions: ["read:members", "root:everything"],
    });
    const res = await t.app.inject({
      url: "/api/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.json()).toMatchObject({ permissions: ["read:members"] });
  });
});

describe("GET /api/me without email in the token", () => {
  test("fills email and name from the members mirror", async () => {
    await t.db.query(
      "insert into members (user_id, tenant_id, email, name) values ('auth0|mirrored-me', 'acme', 'me@acme.test', 'Me Myself')",
    );
    const token = await t.tokens.sign({
      sub: "auth0|mirrored-me",
      tenant: "acme",
      permissions: ["read:members"],
    });
    const res = await t.app.inject({
      url: "/api/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.json()).toMatchObject({
      user: {
        sub: "auth0|mirrored-me",
        email: "me@acme.test",
        name: "Me Myself",
      },
    });
  });
});
