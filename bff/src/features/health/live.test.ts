import { afterEach, expect, test } from "vitest";
import { openDb } from "../../db/db.ts";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

test("GET /api/health/live answers while the readiness view reports the database down", async () => {
  const db = await openDb({});
  t = await buildTestApp({
    db,
    smtpCheck: () => Promise.reject(new Error("SMTP down")),
  });
  await db.close();
  const live = await t.app.inject({ url: "/api/health/live" });
  expect(live.statusCode).toBe(200);
  expect(live.json()).toEqual({ status: "up" });
  const ready = await t.app.inject({ url: "/api/health" });
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toMatchObject({
    checks: { db: { status: "down" }, smtp: { status: "down" } },
  });
});
