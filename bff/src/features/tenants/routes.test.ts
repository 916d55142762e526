import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { makeInvitation, makeMember } from "../../test/seed-data.ts";

let t: TestApp;
let support: string;
beforeAll(async () => {
  t = await buildTestApp();
  support = await t.tokens.support();
});
afterAll(() => t.close());
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe("GET /api/tenants/:tenantId", () => {
  test("gives the admin their seats, domains and invitation lifetime", async () => {
    await makeMember(t.db, { tenantId: "globex" });
    await makeInvitation(t.db, { tenantId: "globex", state: "emailed" });
    const res = await t.app.inject({
      url: "/api/tenants/globex",
      headers: auth(await t.tokens.admin("globex")),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: "globex",
      name: "Globex",
      seats: { limit: 10, used: 1, pending: 1, free: 8 },
      allowedDomains: ["globex.test"],
      invitationLifetimeDays: 7,
    });
  });

  test("answers 404 for support asking about a tenant that does not exist", async () => {
    const res = await t.app.inject({
      url: "/api/tenants/nope",
      headers: auth(support),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe("GET /api/tenants", () => {
  test("lists every tenant with seat usage for support", async () => {
    const res = await t.app.inject({
      url: "/api/tenants",
      headers: auth(support),
    });
    expect(
      res.json<{ items: { id: string }[] }>().items.map((i) => i.id),
    ).toEqual(["acme", "globex"]);
  });
});

describe("PATCH /api/tenants/:tenantId", () => {
  test("changes the seat limit, domains and lifetime, and audits the change", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/tenants/acme",
      headers: auth(support),
      payload: {
        seatLimit: 75,
        allowedDomains: ["Acme.test", "acme-eu.test"],
        invitationLifetimeDays: 14,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      seats: { limit: 75 },
      allowedDomains: ["acme.test", "acme-eu.test"],
      invitationLifetimeDays: 14,
    });
    const audit = await t.app.inject({
      url: "/api/tenants/acme/audit",
      headers: auth(await t.tokens.admin("acme")),
    });
    expect(audit.json()).toMatchObject({
      items: [
        {
          action: "tenant.updated",
          actor: "auth0|support",
          actorEmail: "support@exampleco.test",
          details: { seatLimit: { from: 50, to: 75 } },
        },
      ],
    });
  });

  test("rejects invalid values with the fields in details", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/tenants/acme",
      headers: auth(support),
      payload: { seatLimit: -1, allowedDomains: ["not a domain"] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "validation",
      details: expect.arrayContaining([
        expect.objectContaining({ path: "/seatLimit" }),
      ]) as unknown,
    });
  });

  test("answers 413 with the error body for an oversized body", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/tenants/acme",
      headers: auth(support),
      payload: {
        name: "x",
        allowedDomains: Array.from(
          { length: 60_000 },
          (_, i) => `d${i}.example.test`,
        ),
      },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: "payload_too_large",
      statusCode: 413,
    });
  });

  test("limits mutations per user", async () => {
    const limited = await buildTestApp({ db: t.db, mutationsPerMinute: 2 });
    try {
      // a user of its own: the limit is kept in the shared database, where this file's other
      // tests already counted auth0|support's changes
      const token = await limited.tokens.support({
        sub: "auth0|support-limited",
      });
      const patch = () =>
        limited.app.inject({
          method: "PATCH",
          url: "/api/tenants/acme",
          headers: auth(token),
          payload: { name: "Acme" },
        });
      expect((await patch()).statusCode).toBe(200);
      expect((await patch()).statusCode).toBe(200);
      const third = await patch();
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ code: "rate_limited" });
      expect(third.headers["retry-after"]).toBeDefined();
      const read = await limited.app.inject({
        url: "/api/tenants/acme",
        headers: auth(token),
      });
      expect(read.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
