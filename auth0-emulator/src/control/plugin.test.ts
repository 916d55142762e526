import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  API,
  BASE_URL,
  buildTestEmulator,
  exchangeCode,
  login,
  type TestEmulator,
} from "../test/build-test-emulator.ts";

let emu: TestEmulator;
beforeEach(async () => {
  emu = await buildTestEmulator();
});
afterEach(async () => {
  await emu.app.close();
});

const CLAIM = "https://guestlist.example/tenant";

async function mint(body: Record<string, unknown>) {
  return emu.app.inject({
    method: "POST",
    url: "/__emulator/tokens",
    payload: body,
  });
}

describe("POST /__emulator/tokens", () => {
  test("mints the same permissions and tenant claim a real login carries", async () => {
    const { code, verifier } = await login(emu.app);
    const real = await emu.keys.verify(
      (await exchangeCode(emu.app, code, verifier)).json<{
        access_token: string;
      }>().access_token,
      API,
    );
    const res = await mint({ email: "admin@acme.test" });
    expect(res.statusCode).toBe(200);
    const minted = await emu.keys.verify(
      res.json<{ access_token: string }>().access_token,
      API,
    );
    expect(minted.permissions).toEqual(real.permissions);
    expect(minted[CLAIM]).toBe("acme");
    expect(minted.sub).toBe(real.sub);
    expect(minted.aud).toEqual(real.aud);
  });

  test("overrides permissions, tenant and lifetime", async () => {
    const res = await mint({
      email: "admin@acme.test",
      permissions: ["read:members"],
      tenant: "globex",
      expiresIn: 30,
    });
    const { access_token, expires_in } = res.json<{
      access_token: string;
      expires_in: number;
    }>();
    const claims = await emu.keys.verify(access_token, API);
    expect(claims.permissions).toEqual(["read:members"]);
    expect(claims[CLAIM]).toBe("globex");
    expect(expires_in).toBe(30);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(30);
    const noTenant = await emu.keys.verify(
      (await mint({ email: "admin@acme.test", tenant: null })).json<{
        access_token: string;
      }>().access_token,
      API,
    );
    expect(noTenant[CLAIM]).toBeUndefined();
  });

  test("404 for an unknown email, 400 for an unknown audience", async () => {
    expect((await mint({ email: "nobody@acme.test" })).statusCode).toBe(404);
    expect(
      (await mint({ email: "admin@acme.test", audience: "https://nope.test" }))
        .statusCode,
    ).toBe(400);
  });
});

describe("/__emulator/users", () => {
  test("creates a user who can log in with the given tenant and roles, then deletes them", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/__emulator/users",
      payload: {
        email: "New.Person@acme.test",
        password: "correct-horse-battery-staple",
        given_name: "New",
        tenant: "acme",
        roles: ["Customer admin"],
      },
    });
    expect(res.statusCode).toBe(201);
    const user = res.json<Record<string, unknown>>();
    expect(user).toMatchObject({
      email: "new.person@acme.test",
      email_verified: true,
      app_metadata: { tenant_id: "acme" },
      roles: ["rol_CustomerAdmin01"],
    });
    expect(user.id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(user).not.toHaveProperty("password_hash");

    const { code, verifier } = await login(emu.app, "new.person@acme.test");
    const claims = await emu.keys.verify(
      (await exchangeCode(emu.app, code, verifier)).json<{
        access_token: string;
      }>().access_token,
      API,
    );
    expect(claims[CLAIM]).toBe("acme");
    expect(claims.permissions).toContain("invite:members");

    const del = await emu.app.inject({
      method: "DELETE",
      url: `/__emulator/users/${encodeURIComponent(String(user.id))}`,
    });
    expect(del.statusCode).toBe(204);
    expect(emu.store.users.byEmail("new.person@acme.test")).toBeUndefined();
    expect(
      (
        await emu.app.inject({
          method: "DELETE",
          url: `/__emulator/users/${encodeURIComponent(String(user.id))}`,
        })
      ).statusCode,
    ).toBe(404);
  });

  test("direct permissions end up in tokens", async () => {
    await emu.app.inject({
      method: "POST",
      url: "/__emulator/users",
      payload: { email: "p@acme.test", permissions: ["read:members"] },
    });
    const claims = await emu.keys.verify(
      (await mint({ email: "p@acme.test" })).json<{ access_token: string }>()
        .access_token,
      API,
    );
    expect(claims.permissions).toEqual(["read:members"]);
  });

  test("409 for an existing email, 400 for a bad body or unknown role", async () => {
    expect(
      (
        await emu.app.inject({
          method: "POST",
          url: "/__emulator/users",
          payload: { email: "ADMIN@acme.test" },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await emu.app.inject({
          method: "POST",
          url: "/__emulator/users",
          payload: { email: "not-an-email" },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await emu.app.inject({
          method: "POST",
          url: "/__emulator/users",
          payload: { email: "r@acme.test", roles: ["Wizard"] },
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe("state and reset", () => {
  test("state shows users without password hashes and clients without secrets", async () => {
    const res = await emu.app.inject({ url: "/__emulator/state" });
    const state = res.json<{
      users: Record<string, unknown>[];
      clients: Record<string, unknown>[];
      counts: { users: number };
    }>();
    expect(state.counts.users).toBe(3);
    expect(res.body).not.toContain("password_hash");
    expect(res.body).not.toContain("guestlist-bff-local-secret");
    expect(state.users.map((u) => u.email)).toContain("support@exampleco.test");
  });

  test("reset goes back to the seed and ends sessions", async () => {
    const { cookie } = await login(emu.app);
    await emu.app.inject({
      method: "POST",
      url: "/__emulator/users",
      payload: { email: "temp@acme.test" },
    });
    const res = await emu.app.inject({
      method: "POST",
      url: "/__emulator/reset",
    });
    expect(res.statusCode).toBe(200);
    expect(emu.store.users.byEmail("temp@acme.test")).toBeUndefined();
    expect(emu.store.users.byEmail("admin@acme.test")?.logins_count).toBe(0);
    const silent = await emu.app.inject({
      url: `/authorize?client_id=guestlist-spa&redirect_uri=http://localhost:3000&response_type=code&code_challenge=c&code_challenge_method=S256&prompt=none&response_mode=web_message`,
      headers: { cookie },
    });
    expect(silent.body).toContain("login_required");
  });
});

describe("the control API refuses cross-site requests", () => {
  test("a form post from another site cannot mint a token or reset the tenant", async () => {
    for (const headers of [
      {
        origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      { origin: "https://evil.example", "content-type": "application/json" },
      { origin: "http://localhost:9999", "content-type": "application/json" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
    ]) {
      const res = await emu.app.inject({
        method: "POST",
        url: "/__emulator/tokens",
        headers,
        payload:
          headers["content-type"] === "application/json"
            ? JSON.stringify({ email: "admin@acme.test" })
            : "email=admin%40acme.test",
      });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.body).not.toContain("access_token");
    }
  });

  test("bodies must be JSON (415): a same-origin or Origin-less form or text post is refused", async () => {
    for (const [type, payload] of [
      ["application/x-www-form-urlencoded", "email=admin%40acme.test"],
      ["text/plain", '{"email":"admin@acme.test"}'],
      ["multipart/form-data; boundary=x", "--x--"],
    ] as const) {
      const res = await emu.app.inject({
        method: "POST",
        url: "/__emulator/tokens",
        headers: { "content-type": type },
        payload,
      });
      expect(res.statusCode, type).toBe(415);
    }
  });

  test("local clients keep working: no Origin, the emulator's own origin, JSON or no body", async () => {
    expect(
      (await emu.app.inject({ method: "POST", url: "/__emulator/reset" }))
        .statusCode,
    ).toBe(200);
    expect(
      (await emu.app.inject({ method: "DELETE", url: "/__emulator/faults" }))
        .statusCode,
    ).toBeLessThan(300);
    const own = await emu.app.inject({
      method: "POST",
      url: "/__emulator/tokens",
      headers: { origin: new URL(BASE_URL).origin },
      payload: { email: "admin@acme.test" },
    });
    expect(own.statusCode).toBe(200);
    const spa = await emu.app.inject({
      method: "GET",
      url: "/__emulator/state",
      headers: { origin: "http://localhost:3000" },
    });
    expect(spa.statusCode).toBe(200);
  });
});
