import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BASE_URL, buildTestEmulator } from "../test/build-test-emulator.ts";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { mgmtCaller, type MgmtCaller } from "../test/mgmt-caller.ts";
import { TOO_MANY_REQUESTS } from "./plugin.ts";

let app: FastifyInstance;
let call: MgmtCaller;

beforeEach(async () => {
  const emu = await buildTestEmulator();
  app = emu.app;
  call = await mgmtCaller(emu.app, emu.keys, BASE_URL);
});
afterEach(() => app.close());

const put = (url: string, body: unknown) =>
  app.inject({ method: "PUT", url, payload: body as Record<string, unknown> });
const post = (url: string, body: unknown) =>
  app.inject({ method: "POST", url, payload: body as Record<string, unknown> });

describe("rate limits", () => {
  test("every /api/v2 response carries X-RateLimit-* headers, even 401s", async () => {
    const res = await app.inject({ url: "/api/v2/users" });
    expect(res.statusCode).toBe(401);
    expect(res.headers["x-ratelimit-limit"]).toBe("50");
    expect(res.headers["x-ratelimit-remaining"]).toBe("49");
    expect(Number(res.headers["x-ratelimit-reset"])).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000),
    );
  });

  test("a small bucket set at runtime answers 429 with Auth0's body", async () => {
    expect(
      (await put("/__emulator/rate-limit", { burst: 2, perSecond: 0.01 }))
        .statusCode,
    ).toBe(200);
    expect(
      (await call({ url: "/users/auth0%7C65a000000000000000000001" }))
        .statusCode,
    ).toBe(200);
    expect(
      (await call({ url: "/users/auth0%7C65a000000000000000000001" }))
        .statusCode,
    ).toBe(200);
    const limited = await call({
      url: "/users/auth0%7C65a000000000000000000001",
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual(TOO_MANY_REQUESTS);
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(limited.headers["x-ratelimit-reset"])).toBeGreaterThan(
      Date.now() / 1000,
    );
  });

  test("plans are selectable by name, unknown ones refused, reset restores enterprise", async () => {
    expect(
      (await put("/__emulator/rate-limit", { plan: "free" })).json(),
    ).toEqual({ groups: [{ name: "global", burst: 2, perSecond: 2 }] });
    expect(
      (await put("/__emulator/rate-limit", { plan: "platinum" })).statusCode,
    ).toBe(400);
    await post("/__emulator/reset", {});
    expect(
      (await app.inject({ url: "/api/v2/users" })).headers["x-ratelimit-limit"],
    ).toBe("50");
  });
});

describe("faults", () => {
  test("the next N matching requests fail with the given status, then it stops", async () => {
    const created = await post("/__emulator/faults", {
      method: "POST",
      path: "/api/v2/jobs/*",
      status: 503,
      count: 2,
    });
    expect(created.statusCode).toBe(201);
    for (let i = 0; i < 2; i++) {
      const res = await call({
        method: "POST",
        url: "/jobs/verification-email",
        body: { user_id: "auth0|65a000000000000000000001" },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        statusCode: 503,
        error: "Service Unavailable",
      });
    }
    const ok = await call({
      method: "POST",
      url: "/jobs/verification-email",
      body: { user_id: "auth0|65a000000000000000000001" },
    });
    expect(ok.statusCode).toBe(201);
  });

  test("faults match method and exact path, and apply to /oauth/token too", async () => {
    await post("/__emulator/faults", {
      method: "POST",
      path: "/oauth/token",
      status: 500,
      count: 1,
    });
    expect(
      (await call({ url: "/users/auth0%7C65a000000000000000000001" }))
        .statusCode,
    ).toBe(200);
    const token = await app.inject({
      method: "POST",
      url: "/oauth/token",
      payload: { grant_type: "client_credentials" },
    });
    expect(token.statusCode).toBe(500);
    expect(token.json()).toMatchObject({ error: "server_error" });
  });

  test("a delay holds the request, then lets it through", async () => {
    await post("/__emulator/faults", {
      method: "GET",
      path: "/api/v2/users/*",
      delayMs: 150,
      count: 1,
    });
    const started = Date.now();
    const res = await call({ url: "/users/auth0%7C65a000000000000000000001" });
    expect(res.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("paths match decoded user ids", async () => {
    await post("/__emulator/faults", {
      method: "*",
      path: "/api/v2/users/auth0|65a000000000000000000001",
      status: 500,
      count: 1,
    });
    expect(
      (await call({ url: "/users/auth0%7C65a000000000000000000001" }))
        .statusCode,
    ).toBe(500);
    expect(
      (await call({ url: "/users/auth0%7C65a000000000000000000001" }))
        .statusCode,
    ).toBe(200);
  });

  test("invalid fault specs are refused", async () => {
    expect(
      (
        await post("/__emulator/faults", {
          method: "GET",
          path: "/x",
          count: 1,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await post("/__emulator/faults", {
          method: "GET",
          path: "/x",
          status: 200,
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe("dropped connections (real socket)", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ bcryptRounds: 4 });
  });
  afterEach(() => emu.close());

  test("drop: the client sees a network error, and the next request works", async () => {
    await fetch(`${emu.url}/__emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        method: "GET",
        path: "/.well-known/jwks.json",
        drop: true,
        count: 1,
      }),
    });
    await expect(fetch(`${emu.url}/.well-known/jwks.json`)).rejects.toThrow();
    expect((await fetch(`${emu.url}/.well-known/jwks.json`)).status).toBe(200);
  });
});

describe("request log", () => {
  test("records method, path, query, body summary and status, without secrets", async () => {
    await app.inject({
      method: "POST",
      url: "/oauth/token",
      payload: {
        grant_type: "client_credentials",
        client_id: "guestlist-bff",
        client_secret: "guestlist-bff-local-secret",
        audience: `${BASE_URL}/api/v2/`,
      },
    });
    await call({
      method: "PATCH",
      url: "/users/auth0%7C65a000000000000000000001",
      body: { password: "Sup3r-secret!" },
    });
    await call({ url: "/users?search_engine=v3&q=email%3Aadmin*" });
    const { requests } = (
      await app.inject({ url: "/__emulator/requests" })
    ).json<{ requests: Record<string, unknown>[] }>();
    expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/oauth/token", 200],
      ["PATCH", "/api/v2/users/auth0%7C65a000000000000000000001", 200],
      ["GET", "/api/v2/users", 200],
    ]);
    expect(requests[0]?.body).toMatchObject({
      client_id: "guestlist-bff",
      client_secret: "[redacted]",
    });
    expect(requests[1]?.body).toEqual({ password: "[redacted]" });
    expect(requests[2]?.query).toEqual({
      search_engine: "v3",
      q: "email:admin*",
    });
    expect(JSON.stringify(requests)).not.toContain(
      "guestlist-bff-local-secret",
    );

    const since = String(requests[1]?.seq);
    const later = (
      await app.inject({ url: `/__emulator/requests?since=${since}` })
    ).json<{ requests: unknown[] }>();
    expect(later.requests).toHaveLength(1);
    expect(
      (await app.inject({ method: "DELETE", url: "/__emulator/requests" }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: "/__emulator/requests" })).json()).toEqual({
      requests: [],
    });
  });
});
