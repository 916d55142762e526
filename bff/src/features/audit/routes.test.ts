import { afterAll, beforeAll, expect, test } from "vitest";
import { audit } from "../../audit-log.ts";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import type { AuditPage } from "./contract.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  for (let i = 1; i <= 7; i++)
    await audit(t.db, {
      tenantId: "acme",
      actor: "auth0|a",
      action: "test.step",
      target: `step-${i}`,
    });
  await audit(t.db, {
    tenantId: "globex",
    actor: "auth0|g",
    action: "test.secret",
    target: "globex-only",
  });
});
afterAll(() => t.close());

test("pages the tenant's audit log newest first with a cursor, never another tenant's", async () => {
  const headers = { authorization: `Bearer ${await t.tokens.admin("acme")}` };
  const targets: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/tenants/acme/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await t.app.inject({ url, headers });
    const page = res.json<AuditPage>();
    targets.push(...page.items.map((i) => i.target));
    cursor = page.nextCursor;
  } while (cursor);
  expect(targets).toEqual([
    "step-7",
    "step-6",
    "step-5",
    "step-4",
    "step-3",
    "step-2",
    "step-1",
  ]);
});
