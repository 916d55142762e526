// The invitee's journey at HTTP level: the invitation page, Accept, the emulator's hosted ticket
// pages (email verification, then the password form), back to the BFF, accepted, then sign-in works.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  startHarness,
  waitFor,
  type Harness,
} from "../../pipeline/test/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
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
  test("page → accept → verify email → set password → accepted, the Auth0 user verified with a password", async () => {
    const { email, userId, link } = await invite();
    const page = await visit(link);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<h1>Acme Corp invited you to Guestlist</h1>");
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
    expect(accept.location).toContain("/u/email-verification?ticket=");
    const verified = await visit(accept.location ?? "");
    expect(verified.status).toBe(302);
    expect(verified.location).toContain(`${link}/verified?`);
    const toPassword = await visit(verified.location ?? "");
    expect(toPassword.status).toBe(302);
    expect(toPassword.location).toContain("/lo/reset?ticket=");
    expect(toPassword.location).toMatch(/#type=invite$/); // the invite hint for a customised password page
    const form = await visit(toPassword.location ?? "");
    expect(form.status).toBe(200);
    const ticket =
      new URL(toPassword.location ?? "").searchParams.get("ticket") ?? "";
    const password = "Tr0ub4dor&3-horse";
    const set = await visit(new URL("/lo/reset", toPassword.location).href, {
      method: "POST",
      form: { ticket, newPassword: password, confirmNewPassword: password },
    });
    expect(set.status).toBe(302);
    expect(set.location).toContain(`${link}/done?`);
    const done = await visit(set.location ?? "");
    expect(done.status).toBe(302);
    expect(done.location).toBe("http://localhost:3000/?invitation=accepted");

    const row = await h.t.db.query<{ state: string }>(
      "select state from invitations where user_id = $1",
      [userId],
    );
    expect(row.rows[0]?.state).toBe("accepted");
    const user = h.emulator.store.userById(userId);
    expect(user?.email_verified).toBe(true);
    expect(user?.email).toBe(email);
    expect(user?.password_hash).toBeTruthy();
    // The same link now says "already accepted" and offers to sign in.
    const again = await visit(link);
    expect(again.body).toContain("You have already accepted this invitation");
    const audit = await h.t.db.query(
      "select 1 from audit_log where action = 'invitation.accepted' and target = $1",
      [userId],
    );
    expect(audit.rowCount).toBe(1);
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
