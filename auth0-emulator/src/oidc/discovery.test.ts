import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
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

describe("discovery", () => {
  test("publishes the issuer with a trailing slash and the endpoints", async () => {
    const res = await emu.app.inject({
      url: "/.well-known/openid-configuration",
    });
    expect(res.json()).toMatchObject({
      issuer: `${BASE_URL}/`,
      authorization_endpoint: `${BASE_URL}/authorize`,
      token_endpoint: `${BASE_URL}/oauth/token`,
      jwks_uri: `${BASE_URL}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
  });

  test("publishes one RS256 public key and no private parts", async () => {
    const { keys } = (
      await emu.app.inject({ url: "/.well-known/jwks.json" })
    ).json<{ keys: Record<string, unknown>[] }>();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: "RSA",
      alg: "RS256",
      use: "sig",
      kid: emu.keys.kid,
    });
    expect(keys[0]).not.toHaveProperty("d");
  });
});

describe("GET /userinfo", () => {
  test("returns the profile for a valid access token", async () => {
    const { code, verifier } = await login(emu.app);
    const { access_token } = (
      await exchangeCode(emu.app, code, verifier)
    ).json<{ access_token: string }>();
    const res = await emu.app.inject({
      url: "/userinfo",
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      sub: "auth0|65a000000000000000000001",
      email: "admin@acme.test",
      given_name: "Ada",
    });
  });

  test("rejects a missing or forged token", async () => {
    expect((await emu.app.inject({ url: "/userinfo" })).statusCode).toBe(401);
    const forged = (
      await emu.app.inject({
        url: "/userinfo",
        headers: { authorization: "Bearer a.b.c" },
      })
    ).statusCode;
    expect(forged).toBe(401);
  });
});

describe("CORS", () => {
  test("allows the SPA's web origin to call /oauth/token with the Auth0-Client header", async () => {
    const res = await emu.app.inject({
      method: "OPTIONS",
      url: "/oauth/token",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "auth0-client,content-type",
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(
      "http://localhost:3000",
    );
    expect(
      String(res.headers["access-control-allow-headers"]).toLowerCase(),
    ).toContain("auth0-client");
  });

  test("does not allow an origin that is not a web origin", async () => {
    const res = await emu.app.inject({
      method: "OPTIONS",
      url: "/oauth/token",
      headers: {
        origin: "https://evil.test",
        "access-control-request-method": "POST",
      },
    });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
