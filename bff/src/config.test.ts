import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

// What `pnpm auth0:setup` prints plus SMTP: the minimum for a real tenant.
const REAL_TENANT = {
  AUTH0_DOMAIN: "acme.eu.auth0.com",
  AUTH0_CLIENT_ID: "bffClientId",
  AUTH0_CLIENT_SECRET: "bff-secret",
  AUTH0_CONNECTION_ID: "con_AbCdEfGh12345678",
  AUTH0_SPA_CLIENT_ID: "spaClientId",
  PUBLIC_URL: "https://guestlist.acme-saas.test",
  SMTP_URL: "smtp://u:p@smtp.acme-saas.test:587",
  MAIL_FROM: "Acme <no-reply@acme-saas.test>",
};

describe("loadConfig", () => {
  test("defaults to the local emulator", () => {
    const c = loadConfig({});
    expect(c.auth0).toMatchObject({
      issuer: "http://localhost:4010/",
      jwksUrl: "http://localhost:4010/.well-known/jwks.json",
      managementUrl: "http://127.0.0.1:4010",
      managementAudience: "http://localhost:4010/api/v2/",
      clientId: "guestlist-bff",
      connectionId: "con_GuestlistLocal01",
      audience: "https://guestlist.example/api",
      rateLimit: { burst: 50, perSecond: 16 },
    });
    expect(c.pgliteDir).toMatch(/\.data[/\\]bff-db$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.seedTenants).toBe(true);
    expect(Object.isFrozen(c.auth0)).toBe(true);
  });

  test("the invitee app, the product name and the Universal Login experience (ADR 007)", () => {
    const d = loadConfig({ PUBLIC_URL: "http://localhost:3999/" });
    expect(d.inviteeApp).toEqual({
      clientId: "guestlist-spa",
      loginUrl: "http://localhost:3999/login",
    });
    expect(d.branding.appName).toBe("ExampleCo Analytics");
    expect(d.auth0.ulExperience).toBe("auto");
    expect(d.auth0.ulExperienceCacheSeconds).toBe(300);
    const c = loadConfig({
      AUTH0_SPA_CLIENT_ID: "spa123",
      INVITEE_APP_CLIENT_ID: "analytics456",
      INVITEE_APP_LOGIN_URL: "https://analytics.example.com/login",
      AUTH0_UL_EXPERIENCE: "classic",
    });
    expect(c.inviteeApp).toEqual({
      clientId: "analytics456",
      loginUrl: "https://analytics.example.com/login",
    });
    expect(c.auth0.ulExperience).toBe("classic");
    expect(() =>
      loadConfig({
        AUTH0_UL_EXPERIENCE: "modern",
        INVITEE_APP_LOGIN_URL: "nope",
      }),
    ).toThrow(/AUTH0_UL_EXPERIENCE[\s\S]*INVITEE_APP_LOGIN_URL/);
  });

  test("targets a real tenant when AUTH0_DOMAIN is set", () => {
    const c = loadConfig({
      ...REAL_TENANT,
      AUTH0_ISSUER_BASE_URL: "https://login.acme.test",
      DATABASE_URL: "postgres://u@db/g",
    });
    expect(c.auth0).toMatchObject({
      issuer: "https://login.acme.test/",
      managementUrl: undefined,
      managementAudience: "https://acme.eu.auth0.com/api/v2/",
    });
    expect(c.seedTenants).toBe(false);
    expect(c.pgliteDir).toBeUndefined();
  });

  test("reports every bad variable at once", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        AUTH0_ISSUER_BASE_URL: "not a url",
        AUTH0_CONNECTION_ID: "con_x",
        MEMBER_REMOVAL: "shred",
        DATABASE_URL: "mysql://x",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join("\n");
    for (const name of [
      "PORT",
      "AUTH0_ISSUER_BASE_URL",
      "AUTH0_CONNECTION_ID",
      "MEMBER_REMOVAL",
      "DATABASE_URL",
    ])
      expect(issues).toContain(name);
  });

  test("needs both numbers for a custom rate-limit plan", () => {
    expect(() => loadConfig({ AUTH0_RATE_LIMIT: "custom" })).toThrow(
      /AUTH0_RATE_LIMIT_BURST[\s\S]*AUTH0_RATE_LIMIT_PER_SECOND/,
    );
    expect(loadConfig({ AUTH0_RATE_LIMIT: "free" }).auth0.rateLimit).toEqual({
      burst: 2,
      perSecond: 2,
    });
  });

  test("with a real tenant, refuses the local defaults and names every missing variable", () => {
    let error: unknown;
    try {
      loadConfig({ AUTH0_DOMAIN: "acme.eu.auth0.com", AUTH0_CLIENT_ID: "x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    for (const name of [
      "AUTH0_CLIENT_SECRET",
      "AUTH0_CONNECTION_ID",
      "AUTH0_SPA_CLIENT_ID",
      "PUBLIC_URL",
      "SMTP_URL",
      "MAIL_FROM",
    ])
      expect(
        issues.some((i) =>
          i.startsWith(`${name}: required with a real Auth0 tenant`),
        ),
      ).toBe(true);
    expect(issues.join("\n")).not.toContain("AUTH0_CLIENT_ID");
  });

  test("a real tenant's issuer defaults to https://<domain>/", () => {
    expect(loadConfig(REAL_TENANT).auth0.issuer).toBe(
      "https://acme.eu.auth0.com/",
    );
  });

  test("reads the emails' look from BRAND_* and refuses unsafe values", () => {
    const c = loadConfig({
      BRAND_PRODUCT_NAME: "Acme Onboard",
      BRAND_LOGO_URL: "https://cdn.acme.test/logo.png",
      BRAND_COLOR: "#0a7d38",
      BRAND_FOOTER: "Acme Ltd",
    });
    expect(c.branding).toEqual({
      appName: "Acme Onboard",
      companyName: "ExampleCo",
      logoUrl: "https://cdn.acme.test/logo.png",
      accentColor: "#0a7d38",
      footer: "Acme Ltd",
    });
    expect(() =>
      loadConfig({
        BRAND_LOGO_URL: "http://cdn.acme.test/logo.png",
        BRAND_COLOR: "red",
      }),
    ).toThrow(/BRAND_LOGO_URL[\s\S]*BRAND_COLOR/);
  });
});

function issuesOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe("production never runs on emulator settings", () => {
  test("refuses to start without AUTH0_DOMAIN under NODE_ENV=production or a public PUBLIC_URL, with one message", () => {
    for (const env of [
      { NODE_ENV: "production" },
      { PUBLIC_URL: "https://guestlist.acme-saas.test" },
      { NODE_ENV: "production", PUBLIC_URL: "http://localhost:3000" },
    ]) {
      const issues = issuesOf(env);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/^AUTH0_DOMAIN: required in production/);
      expect(issues[0]).toContain("pnpm auth0:setup");
    }
    // local runs keep the emulator
    expect(
      loadConfig({ PUBLIC_URL: "http://127.0.0.1:3100" }).seedTenants,
    ).toBe(true);
  });

  test("refuses the emulator's public secret and the demo seed in production", () => {
    const issues = issuesOf({
      ...REAL_TENANT,
      AUTH0_CLIENT_SECRET: "guestlist-bff-local-secret",
      SEED_TENANTS: "true",
    });
    expect(issues.join("\n")).toMatch(
      /AUTH0_CLIENT_SECRET: the emulator's public secret/,
    );
    expect(issues.join("\n")).toMatch(
      /SEED_TENANTS: the demo tenants are never seeded/,
    );
    expect(loadConfig(REAL_TENANT).seedTenants).toBe(false);
  });

  test("AUTH0_MANAGEMENT_URL beside a real domain: loopback only, or https with AUTH0_MANAGEMENT_URL_ALLOW=1", () => {
    expect(
      loadConfig({
        ...REAL_TENANT,
        AUTH0_MANAGEMENT_URL: "http://127.0.0.1:4010",
      }).auth0.managementUrl,
    ).toBe("http://127.0.0.1:4010");
    for (const url of [
      "http://auth0-proxy.internal:8080",
      "https://auth0-proxy.internal",
    ])
      expect(issuesOf({ ...REAL_TENANT, AUTH0_MANAGEMENT_URL: url })).toEqual([
        expect.stringMatching(
          /^AUTH0_MANAGEMENT_URL: beside a real AUTH0_DOMAIN/,
        ),
      ]);
    expect(
      issuesOf({
        ...REAL_TENANT,
        AUTH0_MANAGEMENT_URL: "http://auth0-proxy.internal:8080",
        AUTH0_MANAGEMENT_URL_ALLOW: "1",
      }),
    ).toHaveLength(1);
    expect(
      loadConfig({
        ...REAL_TENANT,
        AUTH0_MANAGEMENT_URL: "https://auth0-proxy.internal",
        AUTH0_MANAGEMENT_URL_ALLOW: "1",
      }).auth0.managementUrl,
    ).toBe("https://auth0-proxy.internal");
  });

  test("TRUST_PROXY is a hop count or a list of IPs/CIDRs", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(
      loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,::1,loopback" })
        .trustProxy,
    ).toEqual(["127.0.0.1", "10.0.0.0/8", "::1", "loopback"]);
    for (const bad of ["true", "0", "10.0.0.0/33", "nginx", "1.2.3.4/8/9"])
      expect(issuesOf({ TRUST_PROXY: bad }), bad).toEqual([
        expect.stringMatching(/^TRUST_PROXY:/),
      ]);
  });

  test("accepts user tokens of the SPA plus AUTH0_ALLOWED_CLIENT_IDS; SMTP needs TLS unless opted out", () => {
    const c = loadConfig({ AUTH0_ALLOWED_CLIENT_IDS: "mobileApp, cliApp" });
    expect(c.auth0.allowedClientIds).toEqual([
      "guestlist-spa",
      "mobileApp",
      "cliApp",
    ]);
    expect(c.smtpRequireTls).toBe(true);
    expect(loadConfig({ SMTP_ALLOW_PLAINTEXT: "1" }).smtpRequireTls).toBe(
      false,
    );
  });
});
