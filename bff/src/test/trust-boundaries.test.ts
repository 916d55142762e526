// Trust boundaries over EVERY /api route (read from the app's route registry, as in
// authorization.test.ts): unknown fields are refused by name, answers are never cached, request ids
// are the server's; plus which tokens count as a person and which address is the client.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RegisteredRoute } from "../auth.ts";
import { buildTestApp, type TestApp } from "./build-test-app.ts";
import { ADMIN_PERMISSIONS, SUPPORT_PERMISSIONS } from "./tokens.ts";

let t: TestApp;
let routes: RegisteredRoute[];
let everything: string;

beforeAll(async () => {
  t = await buildTestApp({ mutationsPerMinute: 100_000, captureLogs: true });
  routes = t.app.apiRoutes;
  // acme's admin holding every permission: each route gets past authorisation to validation.
  everything = await t.tokens.admin("acme", {
    permissions: [
      ...ADMIN_PERMISSIONS,
      ...SUPPORT_PERMISSIONS,
      "manage:tenants",
    ],
  });
});
afterAll(() => t.close());

function urlFor(route: RegisteredRoute): string {
  return route.url
    .replace(":tenantId", "acme")
    .replace(":importId", "00000000-0000-4000-8000-000000000000")
    .replace(/:[A-Za-z]+/g, "auth0%7Cnobody");
}

const hasBody = (r: RegisteredRoute) => !["GET", "HEAD"].includes(r.method);
/** A body that passes validation, so that the query string is what is checked. */
const validBody = (r: RegisteredRoute) =>
  !hasBody(r)
    ? {}
    : r.url.endsWith("/members")
      ? { payload: { email: "x@acme.test" } }
      : r.url.includes("/invitations/preview") || r.url.endsWith("/imports")
        ? { payload: { rows: [{ email: "x@acme.test" }] } }
        : r.method === "PATCH" && r.url.includes("/members/")
          ? { payload: { role: "member" } }
          : r.method === "PATCH"
            ? { payload: { name: "Acme Corp" } }
            : { payload: {} };

describe("unknown fields", () => {
  test("every route refuses an unknown query parameter with a 400 naming it", async () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const res = await t.app.inject({
        method: route.method as "GET",
        // support's search needs its email: the unknown parameter must be the only problem
        url: `${urlFor(route)}?${route.url.endsWith("/support/users") ? "email=x%40acme.test&" : ""}surprise_param=1`,
        ...validBody(route),
        headers: {
          authorization: `Bearer ${everything}`,
          "idempotency-key": `k-${Math.random()}`,
        },
      });
      const where = `${route.method} ${route.url}`;
      expect(res.statusCode, where).toBe(400);
      expect(res.json(), where).toMatchObject({
        code: "validation",
        message: "Unknown field in querystring: surprise_param",
        details: [{ in: "querystring", path: "/surprise_param" }],
      });
    }
  });

  test("every route with a body refuses an unknown field with a 400 naming it", async () => {
    const withBody = routes.filter(hasBody);
    expect(withBody.length).toBeGreaterThan(5);
    for (const route of withBody) {
      const res = await t.app.inject({
        method: route.method as "POST",
        url: urlFor(route),
        headers: {
          authorization: `Bearer ${everything}`,
          "idempotency-key": `k-${Math.random()}`,
        },
        payload: { surprise_field: 1, other_surprise: 2 },
      });
      const where = `${route.method} ${route.url}`;
      expect(res.statusCode, where).toBe(400);
      expect(res.json<{ message: string }>().message, where).toMatch(
        /^Unknown fields in body: .*surprise_field/,
      );
      expect(res.json<{ message: string }>().message, where).toContain(
        "other_surprise",
      );
    }
  });

  test('inviting with {"given_name": "Ada"} is refused, not stored without a name', async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/members",
      headers: {
        authorization: `Bearer ${everything}`,
        "idempotency-key": "given-name-test-1",
      },
      payload: { email: "ada@acme.test", given_name: "Ada" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: "Unknown field in body: given_name",
      details: [{ in: "body", path: "/given_name", message: "Unknown field" }],
    });
    const stored = await t.db.query(
      "select 1 from invitations where email = 'ada@acme.test'",
    );
    expect(stored.rowCount).toBe(0);
  });

  test("names unknown fields inside rows by their path", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/invitations/preview",
      headers: { authorization: `Bearer ${everything}` },
      payload: {
        rows: [{ email: "a@acme.test" }, { email: "b@acme.test", nick: "b" }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: "Unknown field in body: rows.1.nick",
    });
  });

  test("the preview's columns: an unknown column by name, a bad cell by its column and row", async () => {
    const post = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: "POST",
        url: "/api/tenants/acme/invitations/preview",
        headers: { authorization: `Bearer ${everything}` },
        payload,
      });
    const unknown = await post({
      email: ["a@acme.test", "b@acme.test"],
      nick: [null, "b"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      message: "Unknown field in body: nick",
      details: [{ in: "body", path: "/nick", message: "Unknown field" }],
    });
    // the second row's given name: column givenName, index 1
    const tooLong = await post({
      email: ["a@acme.test", "b@acme.test"],
      givenName: [null, "x".repeat(2_001)],
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({
      code: "validation",
      details: [{ in: "body", path: "/givenName/1" }],
    });
    const short = await post({
      email: ["a@acme.test", "b@acme.test"],
      role: ["admin"],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({
      details: [
        {
          path: "/role",
          message: "role has 1 cells; email has 2 (one per row)",
        },
      ],
    });
  });
});

describe("caching", () => {
  test("every /api answer (except the OpenAPI document) says Cache-Control: no-store", async () => {
    for (const route of routes) {
      const res = await t.app.inject({
        method: route.method as "GET",
        url: urlFor(route),
        headers: {
          authorization: `Bearer ${everything}`,
          "idempotency-key": `k-${Math.random()}`,
        },
        ...(hasBody(route) ? { payload: {} } : {}),
      });
      const where = `${route.method} ${route.url} → ${res.statusCode}`;
      if (route.url === "/api/docs/json")
        expect(res.headers["cache-control"], where).toBeUndefined();
      else expect(res.headers["cache-control"], where).toBe("no-store");
    }
    const unauthenticated = await t.app.inject({ url: "/api/tenants" });
    expect(unauthenticated.headers["cache-control"]).toBe("no-store");
    const unknown = await t.app.inject({ url: "/api/nope" });
    expect(unknown.headers["cache-control"]).toBe("no-store");
  });
});

describe("request ids", () => {
  test("the server makes the id; a client's X-Request-Id is only logged as clientRequestId", async () => {
    const clientId = "client-chosen-id-1234";
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/tenants/acme",
      headers: {
        authorization: `Bearer ${everything}`,
        "x-request-id": clientId,
      },
      payload: { name: "Acme Corp" },
    });
    expect(res.statusCode).toBe(200);
    const id = res.headers["x-request-id"];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe(clientId);
    const entry = await t.db.query<{ request_id: string }>(
      "select request_id from audit_log where action = 'tenant.updated' order by id desc limit 1",
    );
    expect(entry.rows[0]?.request_id).toBe(id);
    const line = t
      .logs()
      .split("\n")
      .find((l) => l.includes(clientId));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      reqId: id,
      clientRequestId: clientId,
    });
  });
});

describe("tokens of other applications", () => {
  const me = (token: string) =>
    t.app.inject({
      url: "/api/me",
      headers: { authorization: `Bearer ${token}` },
    });

  test("accepts the SPA's user tokens only", async () => {
    expect((await me(await t.tokens.admin("acme"))).statusCode).toBe(200);
    const other = await me(
      await t.tokens.admin("acme", { azp: "some-other-app" }),
    );
    expect(other.statusCode).toBe(401);
    expect(other.json()).toMatchObject({
      message:
        "The access token was issued to an application this API does not accept",
    });
    expect(
      (await me(await t.tokens.admin("acme", { azp: null }))).statusCode,
    ).toBe(401);
  });

  test("refuses client-credentials tokens for the API audience, even from an allowed client", async () => {
    const res = await me(
      await t.tokens.sign({
        sub: "guestlist-spa@clients",
        azp: "guestlist-spa",
        gty: "client-credentials",
        tenant: "acme",
        permissions: ADMIN_PERMISSIONS,
      }),
    );
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      message:
        "Machine-to-machine tokens cannot use this API; sign in as a person",
    });
  });

  test("accepts the applications in AUTH0_ALLOWED_CLIENT_IDS", async () => {
    const other = await buildTestApp({
      db: t.db,
      env: { AUTH0_ALLOWED_CLIENT_IDS: "mobile-app" },
    });
    try {
      const res = await other.app.inject({
        url: "/api/me",
        headers: {
          authorization: `Bearer ${await other.tokens.admin("acme", { azp: "mobile-app" })}`,
        },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe("client addresses (TRUST_PROXY)", () => {
  /** Four invitee-page requests from different forwarded addresses, the limit being 2 per minute. */
  async function statuses(env: Record<string, string>): Promise<number[]> {
    const app = await buildTestApp({ db: t.db, env, invitePagesPerMinute: 2 });
    try {
      const codes: number[] = [];
      for (const client of [
        "203.0.113.1",
        "203.0.113.2",
        "203.0.113.3",
        "203.0.113.4",
      ])
        codes.push(
          (
            await app.app.inject({
              url: "/invitations/no-such-token",
              remoteAddress: "127.0.0.1",
              headers: { "x-forwarded-for": client },
            })
          ).statusCode,
        );
      return codes;
    } finally {
      await app.close();
    }
  }

  test("behind the proxy each invitee has their own bucket", async () => {
    expect(await statuses({ TRUST_PROXY: "1" })).not.toContain(429);
    expect(await statuses({ TRUST_PROXY: "127.0.0.1" })).not.toContain(429);
  });

  test("without TRUST_PROXY a spoofed X-Forwarded-For is ignored", async () => {
    expect((await statuses({})).slice(2)).toEqual([429, 429]);
  });

  test("a proxy that is not trusted cannot choose the address either", async () => {
    expect((await statuses({ TRUST_PROXY: "10.0.0.0/8" })).slice(2)).toEqual([
      429, 429,
    ]);
  });
});
