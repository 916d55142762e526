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
  ["password-link", "/lo/reset?ticket=", "Set your Guestlist password"],
  [
    "verification-link",
    "/u/email-verification?ticket=",
    "Confirm your email for Guestlist",
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
