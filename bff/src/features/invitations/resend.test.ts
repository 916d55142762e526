// Resend one or many: the old link stops working at once, a new email (new token) goes out,
// and nothing is resent for invitations that cannot be (accepted, revoked, still importing).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  startHarness,
  waitFor,
  type Harness,
} from "../../pipeline/test/harness.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = `Bearer ${await h.t.tokens.admin("acme")}`;
});
afterAll(async () => {
  await h?.close();
});

async function mailsTo(email: string): Promise<number> {
  return (await h.catcher.emails()).filter((e) =>
    e.to.some((t) => t.address === email),
  ).length;
}

async function invited(count: number, tag: string): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    email: `${tag}.${i}@acme.test`,
  }));
  const res = await h.t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/imports",
    headers: { authorization: admin, "idempotency-key": `${tag}-import` },
    payload: { rows },
  });
  expect(res.statusCode, res.body).toBe(202);
  await waitFor("all emailed", async () => {
    const r = await h.t.db.query<{ n: number }>(
      "select count(*)::int as n from invitations where email like $1 and state = 'emailed'",
      [`${tag}.%`],
    );
    return r.rows[0]?.n === count;
  });
  return rows.map((r) => r.email);
}

describe("resend", { timeout: 120_000 }, () => {
  test("bulk resend by state and age re-mails only the matching open invitations", async () => {
    const emails = await invited(4, "bulk");
    const [old1, old2, recent, accepted] = emails;
    await h.t.db.query(
      "update invitations set emailed_at = now() - interval '10 days' where email = any($1)",
      [[old1, old2, accepted]],
    );
    await h.t.db.query(
      "update invitations set state = 'accepted' where email = $1",
      [accepted],
    );
    const before = await h.t.db.query<{ token_hash: string }>(
      "select token_hash from invitations where email = $1",
      [old1],
    );
    const res = await h.t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/invitations/resend",
      headers: { authorization: admin },
      payload: { state: "emailed", olderThanDays: 7 },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ count: 2 });
    await waitFor(
      "two more emails",
      async () =>
        (await mailsTo(old1 ?? "")) === 2 && (await mailsTo(old2 ?? "")) === 2,
    );
    expect(await mailsTo(recent ?? "")).toBe(1);
    expect(await mailsTo(accepted ?? "")).toBe(1);
    const after = await h.t.db.query<{ token_hash: string }>(
      "select token_hash from invitations where email = $1",
      [old1],
    );
    expect(after.rows[0]?.token_hash).not.toBe(before.rows[0]?.token_hash);
    const audit = await h.t.db.query(
      "select details from audit_log where action = 'invitations.resent'",
    );
    expect(audit.rowCount).toBe(1);
  });

  test("support may resend in any tenant; explains why an accepted invitation cannot be resent", async () => {
    const [email] = await invited(1, "support");
    const row = await h.t.db.query<{ user_id: string }>(
      "select user_id from invitations where email = $1",
      [email],
    );
    const userId = encodeURIComponent(row.rows[0]?.user_id ?? "");
    const support = `Bearer ${await h.t.tokens.support()}`;
    const ok = await h.t.app.inject({
      method: "POST",
      url: `/api/tenants/acme/members/${userId}/resend`,
      headers: { authorization: support },
    });
    expect(ok.statusCode, ok.body).toBe(202);
    const globexAdmin = `Bearer ${await h.t.tokens.admin("globex")}`;
    const denied = await h.t.app.inject({
      method: "POST",
      url: `/api/tenants/acme/members/${userId}/resend`,
      headers: { authorization: globexAdmin },
    });
    expect(denied.statusCode).toBe(403);
    await h.t.db.query(
      "update invitations set state = 'accepted' where email = $1",
      [email],
    );
    const refused = await h.t.app.inject({
      method: "POST",
      url: `/api/tenants/acme/members/${userId}/resend`,
      headers: { authorization: admin },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toBe(
      "This person has already accepted the invitation",
    );
    const unknown = await h.t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/members/auth0%7Cnobody/resend",
      headers: { authorization: admin },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
