import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { createFakeAuth0 } from "../../test/fake-auth0.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ captureLogs: true });
});
afterAll(() => t.close());

describe("GET /api/health", () => {
  test("reports db, Auth0 and SMTP readiness without a token, and nothing more", async () => {
    const res = await t.app.inject({ url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: "ok",
      checks: {
        db: { status: "ok" },
        auth0: { status: "ok" },
        smtp: { status: "ok" },
      },
    });
  });

  test("keeps reasons out of the public answer, runs checks at most once per few seconds, and gives support the detail", async () => {
    const auth0 = createFakeAuth0();
    auth0.connection = { ...auth0.connection, disableSignup: false };
    let smtpChecks = 0;
    const open = await buildTestApp({
      db: t.db,
      captureLogs: true,
      auth0,
      smtpCheck: () => {
        smtpChecks++;
        return Promise.reject(
          new Error("SMTP unreachable (connect ECONNREFUSED 10.1.2.3:587)"),
        );
      },
    });
    try {
      expect(open.logs()).toContain("Sign-ups are ENABLED"); // read at start
      const res = await open.app.inject({ url: "/api/health" });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: "degraded",
        checks: {
          db: { status: "ok" },
          auth0: { status: "ok" },
          smtp: { status: "down" },
        },
      });
      expect(res.body).not.toContain("10.1.2.3");
      for (let i = 0; i < 5; i++) await open.app.inject({ url: "/api/health" });
      expect(smtpChecks).toBe(1);
      expect(open.logs()).toContain("10.1.2.3"); // the reason goes to the log

      const admin = await open.app.inject({
        url: "/api/health/details",
        headers: { authorization: `Bearer ${await open.tokens.admin("acme")}` },
      });
      expect(admin.statusCode).toBe(403);
      const details = await open.app.inject({
        url: "/api/health/details",
        headers: { authorization: `Bearer ${await open.tokens.support()}` },
      });
      expect(details.statusCode).toBe(200);
      expect(details.json()).toMatchObject({
        status: "degraded",
        signupsEnabled: true,
        warnings: [expect.stringContaining("Sign-ups are ENABLED") as string],
        checks: {
          db: { status: "ok" },
          smtp: {
            status: "down",
            message: "SMTP unreachable (connect ECONNREFUSED 10.1.2.3:587)",
          },
        },
      });
      expect(smtpChecks).toBe(1);
    } finally {
      await open.close();
    }
  });
});

describe("GET /api/health with an Auth0 configuration problem", () => {
  test("shows the scope Auth0 says is missing, as the auth0 check and a warning", async () => {
    const auth0 = createFakeAuth0();
    const message =
      "Auth0 configuration problem: the BFF's Management API grant lacks the scope create:users (needed to create a users import job)";
    auth0.configurationProblems = () => [
      {
        action: "create a users import job",
        message,
        missingScopes: ["create:users"],
        at: new Date().toISOString(),
      },
    ];
    const app = await buildTestApp({ db: t.db, auth0 });
    try {
      // The public answer says only that Auth0 is down; support's details name the scope.
      const res = await app.app.inject({ url: "/api/health" });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: "degraded",
        checks: {
          db: { status: "ok" },
          auth0: { status: "down" },
          smtp: expect.any(Object) as unknown,
        },
      });
      const details = await app.app.inject({
        url: "/api/health/details",
        headers: { authorization: `Bearer ${await app.tokens.support()}` },
      });
      expect(details.json()).toMatchObject({
        status: "degraded",
        checks: { auth0: { status: "down", message } },
        warnings: [message],
      });
    } finally {
      await app.close();
    }
  });
});

describe("the SPA", () => {
  test("answers 503 with the build command when web/dist is missing", async () => {
    const unbuilt = await buildTestApp({
      db: t.db,
      env: { WEB_DIST: join(tmpdir(), "guestlist-no-such-dist") },
    });
    try {
      const res = await unbuilt.app.inject({ url: "/members" });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain("pnpm --filter @app/web build");
      expect(
        (await unbuilt.app.inject({ url: "/api/nope" })).json(),
      ).toMatchObject({ code: "not_found" });
    } finally {
      await unbuilt.close();
    }
  });

  test("serves index.html for client routes and real 404s for missing assets", async () => {
    const dist = mkdtempSync(join(tmpdir(), "guestlist-dist-"));
    writeFileSync(
      join(dist, "index.html"),
      "<!doctype html><title>Guestlist SPA</title>",
    );
    const spa = await buildTestApp({ db: t.db, env: { WEB_DIST: dist } });
    try {
      const page = await spa.app.inject({ url: "/tenants/acme/members" });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("Guestlist SPA");
      expect(page.headers["content-security-policy"]).toContain(
        "connect-src 'self' http://localhost:4010",
      );
      expect(
        (await spa.app.inject({ url: "/assets/missing.js" })).statusCode,
      ).toBe(404);
    } finally {
      await spa.close();
    }
  });
});
