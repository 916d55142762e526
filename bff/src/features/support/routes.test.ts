import { afterAll, beforeAll, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { makeInvitation } from "../../test/seed-data.ts";
import type { SupportUserSearch } from "./contract.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

test("finds a person across tenants with Auth0 state and invitation history", async () => {
  const email = "moves@example.test";
  const old = await makeInvitation(t.db, {
    tenantId: "acme",
    email,
    state: "revoked",
  });
  const current = await makeInvitation(t.db, {
    tenantId: "globex",
    email,
    state: "emailed",
    givenName: "Mo",
  });
  t.fake.addUser({
    userId: current.userId,
    email,
    tenantId: "globex",
    emailVerified: true,
  });
  const res = await t.app.inject({
    url: `/api/support/users?email=${encodeURIComponent("  Moves@Example.test ")}`,
    headers: { authorization: `Bearer ${await t.tokens.support()}` },
  });
  expect(res.statusCode).toBe(200);
  const { items } = res.json<SupportUserSearch>();
  const byId = new Map(items.map((i) => [i.userId, i]));
  expect(byId.get(current.userId)).toMatchObject({
    tenant: { id: "globex", name: "Globex" },
    auth0: { emailVerified: true, blocked: false },
    // Auth0 says the email is verified: opening the person settles the invitation's state at once
    invitations: [{ state: "verified", tenantId: "globex" }],
  });
  expect(byId.get(old.userId)).toMatchObject({
    tenant: { id: "acme" },
    auth0: null,
    invitations: [{ state: "revoked" }],
  });
});

test("opening a person accepts their open invitation when Auth0 says the password was set after the ticket", async () => {
  const email = "finished@acme.test";
  const inv = await makeInvitation(t.db, { tenantId: "acme", email });
  await t.db.query(
    "update invitations set ticket_issued_at = now() - interval '5 minutes', ticket_expires_at = now() + interval '10 minutes' where id = $1",
    [inv.id],
  );
  t.fake.addUser({
    userId: inv.userId,
    email,
    tenantId: "acme",
    emailVerified: true,
    lastPasswordReset: new Date().toISOString(),
  });
  const before = t.fake.calls.length;
  const res = await t.app.inject({
    url: `/api/support/users?email=${encodeURIComponent(email)}`,
    headers: { authorization: `Bearer ${await t.tokens.support()}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.json<SupportUserSearch>().items[0]?.invitations[0]?.state).toBe(
    "accepted",
  );
  // no Management API call beyond the users-by-email support already makes
  expect(t.fake.calls.slice(before)).toEqual([`usersByEmail:${email}`]);
});

test("is for support staff only", async () => {
  const res = await t.app.inject({
    url: "/api/support/users?email=a@acme.test",
    headers: { authorization: `Bearer ${await t.tokens.admin("acme")}` },
  });
  expect(res.statusCode).toBe(403);
});
