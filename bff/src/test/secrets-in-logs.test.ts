// Captures every log line of a busy session against the emulator and searches it for secrets:
// the client secret, any JWT (user access tokens, the Management API token), invitation tokens.
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createAuth0 } from "../auth0/auth0.ts";
import { createRateBudget } from "../auth0/rate-budget.ts";
import { testConfig } from "../config.ts";
import { openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { buildTestApp, type TestApp } from "./build-test-app.ts";

const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/;
let emu: RunningEmulator;
let t: TestApp;
let wrongSecret: TestApp;
const SECRET_BAD = `wrong-${randomBytes(8).toString("hex")}`;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, bcryptRounds: 4 });
  const env = {
    AUTH0_ISSUER_BASE_URL: `${emu.url}/`,
    AUTH0_MANAGEMENT_URL: emu.url,
  };
  const config = testConfig(env);
  const db = await openDb({});
  await migrate(db);
  t = await buildTestApp({
    env,
    db,
    captureLogs: true,
    auth0: createAuth0(config, {
      limiter: createRateBudget(db, config.auth0.rateLimit),
      maxRetries: 0,
    }),
  });
  const badConfig = testConfig({ ...env, AUTH0_CLIENT_SECRET: SECRET_BAD });
  wrongSecret = await buildTestApp({
    env: { ...env, AUTH0_CLIENT_SECRET: SECRET_BAD },
    captureLogs: true,
    auth0: createAuth0(badConfig, { maxRetries: 0 }),
  });
});
afterAll(async () => {
  await t.close();
  await t.db.close();
  await wrongSecret.close();
  await emu.close();
});

test("no secret reaches a log line", async () => {
  const admin = await t.tokens.admin("acme");
  const invitationToken = randomBytes(32).toString("base64url");
  const bearer = { authorization: `Bearer ${admin}` };
  await t.app.inject({ url: "/api/me", headers: bearer });
  await t.app.inject({
    url: "/api/me",
    headers: { authorization: `Bearer ${admin.slice(0, -4)}AAAA` },
  });
  await t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/members/sync",
    headers: bearer,
  });
  await fetch(`${emu.url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      method: "GET",
      path: "/api/v2/users",
      status: 503,
      count: 1,
    }),
  });
  await t.db.query("update member_sync set synced_at = null");
  await t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/members/sync",
    headers: bearer,
  });
  await t.app.inject({ url: `/invitations/${invitationToken}` });
  await t.app.inject({
    method: "POST",
    url: `/invitations/${invitationToken}/accept`,
  });
  await t.app.inject({
    url: `/api/tenants/acme/members?token=${invitationToken}`,
    headers: bearer,
  });
  await t.app.inject({ url: "/api/health" });
  await wrongSecret.app.inject({ url: "/api/health" });

  const logs = t.logs() + wrongSecret.logs();
  expect(logs.split("\n").length).toBeGreaterThan(10);
  expect(logs).toContain("/invitations/[redacted]");
  expect(logs).toContain("Auth0 failed"); // the failed sync and the bad secret were logged
  expect(logs).not.toContain(t.config.auth0.clientSecret);
  expect(logs).not.toContain(SECRET_BAD);
  expect(logs).not.toContain(invitationToken);
  expect(logs).not.toMatch(JWT);
});
