import { base64url, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "./test/build-test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const me = (authorization?: string) =>
  t.app.inject({
    url: "/api/me",
    headers: authorization ? { authorization } : {},
  });

function unsigned(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${enc(header)}.${enc(payload)}.`;
}

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: "auth0|attacker",
    iss: t.config.auth0.issuer,
    aud: t.config.auth0.audience,
    iat: now,
    exp: now + 600,
    permissions: ["read:members", "read:all_tenants"],
    [t.config.auth0.tenantClaim]: "acme",
  };
}

describe("access-token verification", () => {
  const bad: [string, () => Promise<string | undefined>][] = [
    ["a missing token", () => Promise.resolve(undefined)],
    [
      "a non-bearer scheme",
      () => Promise.resolve(`Basic ${Buffer.from("a:b").toString("base64")}`),
    ],
    ["a malformed token", () => Promise.resolve("Bearer not-a-jwt")],
    ["garbage in JWT shape", () => Promise.resolve("Bearer abc.def.ghi")],
    [
      "an expired token",
      async () =>
        `Bearer ${await t.tokens.admin("acme", { expiresIn: Math.floor(Date.now() / 1000) - 120 })}`,
    ],
    [
      "a token for another audience",
      async () =>
        `Bearer ${await t.tokens.admin("acme", { audience: "https://other.example/api" })}`,
    ],
    [
      "a token from another issuer",
      async () =>
        `Bearer ${await t.tokens.admin("acme", { issuer: "https://evil.example/" })}`,
    ],
    [
      "alg none",
      () =>
        Promise.resolve(
          `Bearer ${unsigned({ alg: "none", typ: "JWT" }, claims())}`,
        ),
    ],
    [
      "HS256 signed with the public key",
      async () => {
        const pem = await exportSPKI(await importPublic());
        const token = await new SignJWT(claims())
          .setProtectedHeader({ alg: "HS256", kid: "test-key" })
          .sign(new TextEncoder().encode(pem));
        return `Bearer ${token}`;
      },
    ],
    [
      "a token signed by another key",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(privateKey)}`;
      },
    ],
  ];

  async function importPublic() {
    const { importJWK } = await import("jose");
    const key = await importJWK(t.tokens.publicJwk, "RS256");
    if (key instanceof Uint8Array) throw new Error("expected a public key");
    return key;
  }

  test.each(bad)(
    "rejects %s with 401 and the error body",
    async (_name, make) => {
      const res = await me(await make());
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        statusCode: 401,
        code: "unauthorized",
        message: expect.any(String) as string,
      });
      expect(res.body).not.toMatch(/stack|at .*\.ts/);
    },
  );

  test("accepts a good token: 200 with the tenant and permissions", async () => {
    const res = await me(`Bearer ${await t.tokens.admin("acme")}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      tenant: { id: "acme", name: "Acme Corp" },
      permissions: [
        "read:members",
        "invite:members",
        "revoke:members",
        "resend:invitations",
      ],
    });
  });
});

describe("unknown /api routes", () => {
  test("answer 404 with the error body", async () => {
    const res = await t.app.inject({ url: "/api/does-not-exist" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "not_found", statusCode: 404 });
  });
});

describe("public routes", () => {
  test("serve the OpenAPI document generated from the route schemas", async () => {
    const res = await t.app.inject({ url: "/api/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/me", "/api/tenants/{tenantId}/members"]),
    );
  });
});

describe("route rules", () => {
  test("a route without a declared permission fails at start", async () => {
    const { default: Fastify } = await import("fastify");
    const { installAuth } = await import("./auth.ts");
    const app = Fastify();
    app.decorate("apiRoutes", []);
    void app.register(async (scope) => {
      installAuth(scope, t.tokens.verifyToken);
      await Promise.resolve();
      scope.get("/undeclared", () => ({ ok: true }));
    });
    await expect(app.ready()).rejects.toThrow(/does not declare config.auth/);
  });

  test("denials are 403 with the error body and are logged", async () => {
    const logged = await buildTestApp({ db: t.db, captureLogs: true });
    try {
      const res = await logged.app.inject({
        url: "/api/tenants/globex/members",
        headers: {
          authorization: `Bearer ${await logged.tokens.admin("acme")}`,
        },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        statusCode: 403,
        code: "forbidden",
        message: "You cannot act on this tenant",
      });
      const line = logged
        .logs()
        .split("\n")
        .find((l) => l.includes("authorisation denied"));
      expect(line).toBeDefined();
      expect(JSON.parse(line ?? "{}")).toMatchObject({
        sub: "auth0|admin-acme",
        tenant: "acme",
        pathTenant: "globex",
      });
    } finally {
      await logged.close();
    }
  });
});
