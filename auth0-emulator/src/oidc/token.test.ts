import {
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from "jose";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  API,
  BASE_URL,
  buildTestEmulator,
  CALLBACK,
  exchangeCode,
  login,
  SPA,
  type TestEmulator,
} from "../test/build-test-emulator.ts";

let emu: TestEmulator;
beforeEach(async () => {
  emu = await buildTestEmulator();
});
afterEach(async () => {
  await emu.app.close();
});

const ISSUER = `${BASE_URL}/`;
const CLAIM = "https://guestlist.example/tenant";
const MGMT = `${BASE_URL}/api/v2/`;

async function verifyWithJwks(
  token: string,
  audience: string,
): Promise<JWTPayload> {
  const jwks = (
    await emu.app.inject({ url: "/.well-known/jwks.json" })
  ).json<JSONWebKeySet>();
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    audience,
    algorithms: ["RS256"],
  });
  return payload;
}

function form(fields: Record<string, string>) {
  return {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(fields).toString(),
  };
}

async function refresh(refreshToken: string) {
  return emu.app.inject({
    method: "POST",
    url: "/oauth/token",
    ...form({
      grant_type: "refresh_token",
      client_id: SPA,
      refresh_token: refreshToken,
      redirect_uri: CALLBACK,
    }),
  });
}

interface TokenSet {
  access_token: string;
  id_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
  token_type: string;
}

describe("POST /oauth/token authorization_code", () => {
  test("exchanges a code with the right PKCE verifier for Auth0-shaped tokens", async () => {
    const { code, verifier } = await login(emu.app);
    const res = await exchangeCode(emu.app, code, verifier);
    expect(res.statusCode).toBe(200);
    const body = res.json<TokenSet>();
    expect(body).toMatchObject({
      token_type: "Bearer",
      expires_in: 86400,
      scope: "openid profile email offline_access",
    });
    expect(body.refresh_token).toBeTruthy();

    expect(decodeProtectedHeader(body.access_token).alg).toBe("RS256");
    const access = await verifyWithJwks(body.access_token, API);
    expect(access).toMatchObject({
      sub: "auth0|65a000000000000000000001",
      azp: SPA,
      aud: [API, `${BASE_URL}/userinfo`],
      [CLAIM]: "acme",
      permissions: [
        "invite:members",
        "read:members",
        "resend:invitations",
        "revoke:members",
      ],
    });
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(86400);

    const id = await verifyWithJwks(body.id_token, SPA);
    expect(id).toMatchObject({
      iss: ISSUER,
      aud: SPA,
      azp: SPA,
      nonce: "nonce-456",
      email: "admin@acme.test",
      email_verified: true,
      given_name: "Ada",
      family_name: "Admin",
      name: "admin@acme.test",
    });
    expect(id.picture).toEqual(expect.any(String));
    expect(id.updated_at).toEqual(expect.any(String));
    expect((id.exp ?? 0) - (id.iat ?? 0)).toBe(36000);
  });

  test("rejects a wrong PKCE verifier", async () => {
    const { code } = await login(emu.app);
    const res = await exchangeCode(
      emu.app,
      code,
      "not-the-verifier-not-the-verifier-not-the-verifier",
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: "invalid_grant",
      error_description: "Failed to verify code verifier",
    });
  });

  test("a code works only once", async () => {
    const { code, verifier } = await login(emu.app);
    expect((await exchangeCode(emu.app, code, verifier)).statusCode).toBe(200);
    const again = await exchangeCode(emu.app, code, verifier);
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ error: "invalid_grant" });
  });

  test("the redirect_uri must match the one of the authorization request", async () => {
    const { code, verifier } = await login(emu.app);
    const res = await exchangeCode(
      emu.app,
      code,
      verifier,
      "http://localhost:5173",
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: "invalid_grant" });
  });

  test("accepts a JSON body", async () => {
    const { code, verifier } = await login(emu.app);
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      payload: {
        grant_type: "authorization_code",
        client_id: SPA,
        code,
        code_verifier: verifier,
        redirect_uri: CALLBACK,
      },
    });
    expect(res.statusCode).toBe(200);
  });

  test("support staff carry their permissions and no tenant claim", async () => {
    const { code, verifier } = await login(emu.app, "support@exampleco.test");
    const access = await verifyWithJwks(
      (await exchangeCode(emu.app, code, verifier)).json<TokenSet>()
        .access_token,
      API,
    );
    expect(access.permissions).toEqual([
      "manage:tenants",
      "read:all_tenants",
      "resend:invitations",
    ]);
    expect(access[CLAIM]).toBeUndefined();
  });

  test("no refresh token without offline_access", async () => {
    const { code, verifier } = await login(emu.app, "admin@acme.test", {
      scope: "openid profile email",
    });
    const body = (await exchangeCode(emu.app, code, verifier)).json<
      Partial<TokenSet>
    >();
    expect(body.id_token).toBeTruthy();
    expect(body.refresh_token).toBeUndefined();
  });
});

describe("POST /oauth/token refresh_token", () => {
  test("rotates: every refresh returns a new refresh token and the old one stops working", async () => {
    const { code, verifier } = await login(emu.app);
    const first = (
      await exchangeCode(emu.app, code, verifier)
    ).json<TokenSet>();

    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    const rotated = second.json<TokenSet>();
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.id_token).toBeTruthy();
    const access = await verifyWithJwks(rotated.access_token, API);
    expect(access[CLAIM]).toBe("acme");

    const reused = await refresh(first.refresh_token);
    expect(reused.statusCode).toBe(403);
    expect(reused.json()).toMatchObject({ error: "invalid_grant" });
  });

  test("reusing an old refresh token revokes the whole family", async () => {
    const { code, verifier } = await login(emu.app);
    const first = (
      await exchangeCode(emu.app, code, verifier)
    ).json<TokenSet>();
    const rotated = (await refresh(first.refresh_token)).json<TokenSet>();
    expect((await refresh(first.refresh_token)).statusCode).toBe(403);
    // the token issued by the legitimate rotation is now dead too
    expect((await refresh(rotated.refresh_token)).statusCode).toBe(403);
  });

  test("a blocked user cannot refresh", async () => {
    const { code, verifier } = await login(emu.app);
    const first = (
      await exchangeCode(emu.app, code, verifier)
    ).json<TokenSet>();
    const user = emu.store.users.byEmail("admin@acme.test");
    if (!user) throw new Error("seed changed");
    emu.store.users.save({ ...user, blocked: true });
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: "unauthorized" });
  });
});

describe("POST /oauth/token client_credentials", () => {
  const creds = {
    grant_type: "client_credentials",
    client_id: "guestlist-bff",
    client_secret: "guestlist-bff-local-secret",
    audience: MGMT,
  };

  test("issues a Management API token with the granted scopes", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form(creds),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      access_token: string;
      scope: string;
      expires_in: number;
      token_type: string;
    }>();
    expect(body.expires_in).toBe(86400);
    expect(body.token_type).toBe("Bearer");
    expect(body.scope.split(" ")).toEqual(
      expect.arrayContaining([
        "read:users",
        "create:users",
        "create:user_tickets",
        "read:connections",
      ]),
    );
    const payload = await verifyWithJwks(body.access_token, MGMT);
    expect(payload).toMatchObject({
      sub: "guestlist-bff@clients",
      gty: "client-credentials",
      azp: "guestlist-bff",
      scope: body.scope,
    });
    expect(await emu.keys.verify(body.access_token, MGMT)).toMatchObject({
      iss: ISSUER,
    });
  });

  test("also accepts HTTP Basic client authentication and JSON", async () => {
    const basic = Buffer.from(
      "guestlist-bff:guestlist-bff-local-secret",
    ).toString("base64");
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      headers: { authorization: `Basic ${basic}` },
      payload: { grant_type: "client_credentials", audience: MGMT },
    });
    expect(res.statusCode).toBe(200);
  });

  test("a wrong secret is 401 access_denied", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form({ ...creds, client_secret: "wrong" }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: "access_denied",
      error_description: "Unauthorized",
    });
  });

  test("an audience without a client grant is 403", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form({ ...creds, audience: API }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: "access_denied" });
    const unknown = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form({ ...creds, audience: "https://nope.test" }),
    });
    expect(unknown.json()).toMatchObject({
      error: "access_denied",
      error_description: "Service not found: https://nope.test",
    });
  });

  test("the SPA cannot use client_credentials", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form({ ...creds, client_id: SPA }),
    });
    expect(res.statusCode).toBe(401);
  });

  test("an unknown grant type is unsupported_grant_type", async () => {
    const res = await emu.app.inject({
      method: "POST",
      url: "/oauth/token",
      ...form({ grant_type: "password" }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});
