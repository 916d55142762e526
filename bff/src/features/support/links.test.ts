// Support's eager links: a ticket is created now and emailed; the ticket URL never appears in the
// response. Admins cannot use these routes.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHarness, type Harness } from "../../pipeline/test/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.pipeline.stop();
});
afterAll(async () => {
  await h?.close();
});

test.each([
  [
    "password-link",
    "/lo/reset?ticket=",
    "Set your ExampleCo Analytics password",
  ],
  [
    "verification-link",
    "/u/email-verification?ticket=",
    "Confirm your email for ExampleCo Analytics",
  ],
])(
  "POST /api/support/users/:userId/%s emails a fresh Auth0 ticket",
  async (action, ticketPath, subject) => {
    const email = `helpme.${action}@acme.test`;
    const created = (await h.emu("POST", "/__emulator/users", {
      email,
      password: "Xx-helpme-12345",
      app_metadata: { tenant_id: "acme" },
    })) as { user_id: string };
    const url = `/api/support/users/${encodeURIComponent(created.user_id)}/${action}`;
    const res = await h.t.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${await h.t.tokens.support()}` },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({
      userId: created.user_id,
      email,
      kind: action.startsWith("password") ? "password" : "verification",
    });
    expect(res.body).not.toContain("ticket");
    const mail = (await h.catcher.emails()).find((e) =>
      e.to.some((t) => t.address === email),
    );
    expect(mail?.subject).toBe(subject);
    expect(mail?.text).toContain(ticketPath);
    expect(mail?.text).toContain("Acme Corp");
    const audit = await h.t.db.query(
      "select 1 from audit_log where target = $1 and action like 'support.%'",
      [created.user_id],
    );
    expect(audit.rowCount).toBe(1);

    const asAdmin = await h.t.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
    });
    expect(asAdmin.statusCode).toBe(403);
  },
);

test("POST /api/support/users/:userId/invitation-link returns a working link once and retires the old one", async () => {
  const email = "copylink@acme.test";
  const invite = await h.t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/members",
    headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
    payload: { email },
  });
  expect(invite.statusCode, invite.body).toBeLessThan(300);
  // The pipeline is stopped in this file: move the row to "created" as a finished import would.
  const row = await h.t.db.query<{ user_id: string }>(
    "update invitations set state = 'created' where email = $1 returning user_id",
    [email],
  );
  const userId = row.rows[0]?.user_id ?? "";
  const url = `/api/support/users/${encodeURIComponent(userId)}/invitation-link`;
  const support = `Bearer ${await h.t.tokens.support()}`;

  const first = await h.t.app.inject({
    method: "POST",
    url,
    headers: { authorization: support },
  });
  expect(first.statusCode, first.body).toBe(200);
  expect(first.headers["cache-control"]).toBe("no-store");
  const { url: link1 } = first.json<{ url: string }>();
  expect(link1).toMatch(
    /^http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{43}$/,
  );

  const second = await h.t.app.inject({
    method: "POST",
    url,
    headers: { authorization: support },
  });
  const { url: link2 } = second.json<{ url: string }>();
  expect(link2).not.toBe(link1);
  const page = (link: string) =>
    h.t.app.inject({ method: "GET", url: new URL(link).pathname });
  expect((await page(link2)).statusCode).toBe(200);
  expect((await page(link1)).statusCode).not.toBe(200);

  const audit = await h.t.db.query(
    "select 1 from audit_log where action = 'support.invitation_link_copied' and target = $1",
    [email],
  );
  expect(audit.rowCount).toBe(2);

  const asAdmin = await h.t.app.inject({
    method: "POST",
    url,
    headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
  });
  expect(asAdmin.statusCode).toBe(403);
  const unknown = await h.t.app.inject({
    method: "POST",
    url: `/api/support/users/${encodeURIComponent("auth0|000000000000000000000000")}/invitation-link`,
    headers: { authorization: support },
  });
  expect(unknown.statusCode).toBe(404);
});
