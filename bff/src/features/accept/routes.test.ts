// The invitee's journey at HTTP level on both Universal Login experiences: the invitation page,
// Accept, the emulator's hosted ticket pages, then the invitee app's login; accepted from Auth0's
// record (ADR 007).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  startHarness,
  waitFor,
  type Harness,
} from "../../pipeline/test/harness.ts";
import { createExperienceResolver } from "../../invitation-lifecycle/experience.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // the experience is read from the emulator on every Accept (no cache), so a test can switch it
    app: (auth0) => ({
      experience: createExperienceResolver(
        auth0,
        "auto",
        { warn: () => undefined },
        { cacheMs: 0 },
      ),
    }),
  });
});
afterAll(async () => {
  await h?.close();
});

let seq = 0;
async function invite(): Promise<{
  email: string;
  userId: string;
  link: string;
}> {
  const email = `invitee.${Date.now()}.${seq++}@acme.test`;
  const res = await h.t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/members",
    headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
    payload: { email, givenName: "Ivy" },
  });
  expect(res.statusCode, res.body).toBe(202);
  const { userId } = res.json<{ userId: string }>();
  const mail = await waitFor("the invitation email", async () =>
    (await h.catcher.emails()).find((e) =>
      e.to.some((t) => t.address === email),
    ),
  );
  const link = /http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+/.exec(
    mail.text ?? "",
  )?.[0];
  if (!link) throw new Error("no link in the email");
  return { email, userId, link };
}

/** GET/POST against the BFF (inject) or the emulator (fetch), by URL. */
async function visit(
  url: string,
  init: {
    method?: string;
    form?: Record<string, string>;
    origin?: string;
  } = {},
) {
  const u = new URL(url);
  if (u.origin === h.publicUrl) {
    const res = await h.t.app.inject({
      method: init.method === "POST" ? "POST" : "GET",
      url: u.pathname + u.search,
      headers: init.origin ? { origin: init.origin } : {},
    });
    return {
      status: res.statusCode,
      location: res.headers.location,
      body: res.body,
    };
  }
  const res = await fetch(url, {
    method: init.method ?? "GET",
    redirect: "manual",
    ...(init.form
      ? {
          body: new URLSearchParams(init.form),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }
      : {}),
  });
  return {
    status: res.status,
    location: res.headers.get("location") ?? undefined,
    body: await res.text(),
  };
}

describe("accepting an invitation", { timeout: 120_000 }, () => {
  async function setPasswordOnAuth0Page(ticketUrl: string, password: string) {
    const form = await visit(ticketUrl);
    expect(form.status).toBe(200);
    const ticket = new URL(ticketUrl).searchParams.get("ticket") ?? "";
    return visit(new URL("/lo/reset", ticketUrl).href, {
      method: "POST",
      form: { ticket, newPassword: password, confirmNewPassword: password },
    });
  }
  async function stateOf(userId: string) {
    return (
      await h.t.db.query<{ state: string }>(
        "select state from invitations where user_id = $1",
        [userId],
      )
    ).rows[0]?.state;
  }
  async function adminSees(email: string) {
    const res = await h.t.app.inject({
      method: "GET",
      url: `/api/tenants/acme/members?q=${encodeURIComponent(email)}`,
      headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { email: string; state: string }[] }>().items[0]
      ?.state;
  }

  test("New Universal Login (the emulator's default): page → Accept → one Auth0 page → 'Back to ExampleCo Analytics' → accepted from Auth0's record", async () => {
    const { email, userId, link } = await invite();
    const page = await visit(link);
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      "<h1>Acme Corp invited you to ExampleCo Analytics</h1>",
    );
    expect(page.body).not.toContain("Guestlist");
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toMatch(
      /<form method="post" action="\/invitations\/[^"]+\/accept"><button type="submit">Accept<\/button>/,
    );
    // GET consumed nothing: the page works again and the state is unchanged
    expect((await visit(link)).status).toBe(200);

    const accept = await visit(`${link}/accept`, {
      method: "POST",
      origin: h.publicUrl,
    });
    expect(accept.status).toBe(303);
    // one password-change ticket, the invite wording, no verification ticket first
    expect(accept.location).toContain("/lo/reset?ticket=");
    expect(accept.location).toMatch(/#type=invite$/);
    const set = await setPasswordOnAuth0Page(
      accept.location ?? "",
      "Tr0ub4dor&3-horse",
    );
    // Auth0 (New) never redirects: one click on "Back to <app>" reaches the app's login route.
    expect(set.status).toBe(200);
    expect(set.body).toContain(
      'href="http://localhost:3000/login">Back to ExampleCo Analytics</a>',
    );
    const user = h.emulator.store.users.get(userId);
    expect(user?.email_verified).toBe(true);
    expect(user?.password_hash).toBeTruthy();
    expect(user?.email).toBe(email);

    // Nobody came back to Guestlist; the admin opening Members reconciles from Auth0's record.
    expect(await stateOf(userId)).toBe("emailed");
    expect(
      await waitFor(
        "accepted",
        async () => (await adminSees(email)) === "active" && "ok",
        10_000,
      ),
    ).toBe("ok");
    expect(await stateOf(userId)).toBe("accepted");
    const again = await visit(link);
    expect(again.body).toContain("You have already accepted this invitation");
    expect(again.body).toContain('href="http://localhost:3000/login"');
    const audit = await h.t.db.query(
      "select 1 from audit_log where action = 'invitation.accepted' and target = $1",
      [userId],
    );
    expect(audit.rowCount).toBe(1);
  });

  test("Classic Universal Login: verification ticket → /verified → password ticket → /done → the app's login", async () => {
    h.emulator.store.tenant.updatePrompts((p) => {
      p.universal_login_experience = "classic";
    });
    try {
      const { userId, link } = await invite();
      const accept = await visit(`${link}/accept`, {
        method: "POST",
        origin: h.publicUrl,
      });
      expect(accept.status).toBe(303);
      expect(accept.location).toContain("/u/email-verification?ticket=");
      const verified = await visit(accept.location ?? "");
      expect(verified.status).toBe(302);
      expect(verified.location).toContain(`${link}/verified?`);
      const toPassword = await visit(verified.location ?? "");
      expect(toPassword.status).toBe(302);
      expect(toPassword.location).toContain("/lo/reset?ticket=");
      expect(toPassword.location).toMatch(/#type=invite$/);
      expect(await stateOf(userId)).toBe("verified"); // Auth0 said email_verified

      const set = await setPasswordOnAuth0Page(
        toPassword.location ?? "",
        "Tr0ub4dor&3-horse",
      );
      expect(set.status).toBe(302);
      expect(set.location).toContain(`${link}/done?`);
      const done = await visit(set.location ?? "");
      expect(done.status).toBe(303);
      expect(done.location).toBe("http://localhost:3000/login");
      expect(await stateOf(userId)).toBe("accepted");
    } finally {
      h.emulator.store.tenant.updatePrompts((p) => {
        p.universal_login_experience = "new";
      });
    }
  });

  test("Classic: /done before the password was set says so and accepts nothing", async () => {
    h.emulator.store.tenant.updatePrompts((p) => {
      p.universal_login_experience = "classic";
    });
    try {
      const { userId, link } = await invite();
      const done = await visit(`${link}/done?success=true`);
      expect(done.status).toBe(400);
      expect(done.body).toContain("Your password was not set");
      expect(await stateOf(userId)).toBe("emailed");
    } finally {
      h.emulator.store.tenant.updatePrompts((p) => {
        p.universal_login_experience = "new";
      });
    }
  });

  test("refuses a cross-site POST", async () => {
    const { link } = await invite();
    expect(
      (
        await visit(`${link}/accept`, {
          method: "POST",
          origin: "https://evil.example",
        })
      ).status,
    ).toBe(403);
    expect((await visit(`${link}/accept`, { method: "POST" })).status).toBe(
      403,
    );
  });

  test("explains unknown, revoked and expired links", async () => {
    const unknown = await visit(`${h.publicUrl}/invitations/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("This invitation link is not valid");
    expect(
      (await visit(`${h.publicUrl}/invitations/not-even-a-token`)).status,
    ).toBe(404);

    const revoked = await invite();
    await h.t.db.query(
      "update invitations set state = 'revoked', revoked_at = now() where user_id = $1",
      [revoked.userId],
    );
    const r = await visit(revoked.link);
    expect(r.status).toBe(410);
    expect(r.body).toContain("This invitation was withdrawn");
    expect(
      (
        await visit(`${revoked.link}/accept`, {
          method: "POST",
          origin: h.publicUrl,
        })
      ).status,
    ).toBe(410);

    const expired = await invite();
    await h.t.db.query(
      "update invitations set expires_at = now() - interval '1 minute' where user_id = $1",
      [expired.userId],
    );
    const e = await visit(expired.link);
    expect(e.status).toBe(410);
    expect(e.body).toContain("This invitation has expired");
    expect(e.body).toContain("Ask your administrator at Acme Corp");
  });

  test("a resend retires the old link and mails a new one", async () => {
    const { email, userId, link } = await invite();
    const res = await h.t.app.inject({
      method: "POST",
      url: `/api/tenants/acme/members/${encodeURIComponent(userId)}/resend`,
      headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect((await visit(link)).status).toBe(404);
    const second = await waitFor("a second email", async () => {
      const mails = (await h.catcher.emails()).filter((e) =>
        e.to.some((t) => t.address === email),
      );
      return mails.length >= 2 ? mails : null;
    });
    const newLink =
      /http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+/.exec(
        second[second.length - 1]?.text ?? "",
      )?.[0] ?? "";
    expect(newLink).not.toBe(link);
    expect((await visit(newLink)).status).toBe(200);
  });
});
