import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

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

  test("targets a real tenant when AUTH0_DOMAIN is set", () => {
    const c = loadConfig({ AUTH0_DOMAIN: "acme.eu.auth0.com", AUTH0_ISSUER_BASE_URL: "https://login.acme.test", DATABASE_URL: "postgres://u@db/g" });
    expect(c.auth0).toMatchObject({ issuer: "https://login.acme.test/", managementUrl: undefined, managementAudience: "https://acme.eu.auth0.com/api/v2/" });
    expect(c.seedTenants).toBe(false);
    expect(c.pgliteDir).toBeUndefined();
  });

  test("reports every bad variable at once", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", AUTH0_ISSUER_BASE_URL: "not a url", AUTH0_CONNECTION_ID: "con_x", MEMBER_REMOVAL: "shred", DATABASE_URL: "mysql://x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join("\n");
    for (const name of ["PORT", "AUTH0_ISSUER_BASE_URL", "AUTH0_CONNECTION_ID", "MEMBER_REMOVAL", "DATABASE_URL"]) expect(issues).toContain(name);
  });

  test("needs both numbers for a custom rate-limit plan", () => {
    expect(() => loadConfig({ AUTH0_RATE_LIMIT: "custom" })).toThrow(/AUTH0_RATE_LIMIT_BURST[\s\S]*AUTH0_RATE_LIMIT_PER_SECOND/);
    expect(loadConfig({ AUTH0_RATE_LIMIT: "free" }).auth0.rateLimit).toEqual({ burst: 2, perSecond: 2 });
  });
});
