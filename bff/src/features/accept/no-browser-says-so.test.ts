// Acceptance comes from Auth0's record, never from a URL (ADR 007). Every trick a browser can play —
// callbacks with success=true, forged Origin/Referer headers, replayed callbacks, a verification
// callback before Auth0 verified anything — leaves the invitation as it was. Then Auth0's record
// (a password set after the ticket, or a sign-in) and nothing else makes it verified / accepted.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../db/db.ts";
import {
  hashInvitationToken,
  newInvitationToken,
} from "../../pipeline/invitation-token.ts";
import { createFakeAuth0, type FakeAuth0 } from "../../test/fake-auth0.ts";
import { createExperienceResolver } from "../../invitation-lifecycle/experience.ts";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { makeInvitation } from "../../test/seed-data.ts";

let t: TestApp;
let fake: FakeAuth0;
let db: Db;
const warnings: unknown[] = [];
beforeAll(async () => {
  fake = createFakeAuth0();
  t = await buildTestApp({
    auth0: fake,
    // auto, as in production, but without the cache so each test picks its experience
    experience: createExperienceResolver(
      fake,
      "auto",
      { warn: (...args: unknown[]) => warnings.push(args) },
      { cacheMs: 0 },
    ),
    invitePagesPerMinute: 10_000,
    env: { INVITEE_APP_LOGIN_URL: "https://analytics.example.com/login" },
  });
  db = t.db;
});
afterAll(async () => {
  await t?.close();
});

async function openInvitation(state = "emailed") {
  const inv = await makeInvitation(db, { tenantId: "acme", state });
  const token = newInvitationToken();
  await db.query("update invitations set token_hash = $2 where id = $1", [
    inv.id,
    hashInvitationToken(token),
  ]);
  fake.addUser({ userId: inv.userId, email: inv.email, tenantId: "acme" });
  return { ...inv, token, path: `/invitations/${token}` };
}

async function stateOf(id: string) {
  const r = await db.query<{ state: string; accepted_at: Date | null }>(
    "select state, accepted_at from invitations where id = $1",
    [id],
  );
  return r.rows[0]?.state;
}

async function acceptedAudits(userId: string) {
  return (
    await db.query(
      "select 1 from audit_log where action = 'invitation.accepted' and target = $1",
      [userId],
    )
  ).rowCount;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });
const post = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url, headers });

const TRICKS: [string, (path: string) => Promise<unknown>][] = [
  ["/done?success=true", (p) => get(`${p}/done?success=true`)],
  [
    "/done?success=true&message=…",
    (p) =>
      get(
        `${p}/done?success=true&message=${encodeURIComponent("Your password has been changed successfully.")}`,
      ),
  ],
  ["/verified?success=true", (p) => get(`${p}/verified?success=true`)],
  [
    "/done with an Auth0 Referer",
    (p) =>
      get(`${p}/done?success=true`, {
        referer: "https://acme.eu.auth0.com/lo/reset?ticket=x",
      }),
  ],
  [
    "/done with a same-origin Origin and Referer",
    (p) =>
      get(`${p}/done?success=true`, {
        origin: "http://localhost:3000",
        referer: `http://localhost:3000${p}`,
      }),
  ],
  [
    "/done replayed three times",
    async (p) => {
      for (let i = 0; i < 3; i++) await get(`${p}/done?success=true`);
    },
  ],
  [
    "/verified then /done replayed",
    async (p) => {
      await get(`${p}/verified?success=true`);
      await get(`${p}/done?success=true`);
      await get(`${p}/verified?success=true`);
    },
  ],
  [
    "POST /done and POST /verified",
    async (p) => {
      await post(`${p}/done?success=true`, { origin: "http://localhost:3000" });
      await post(`${p}/verified?success=true`, {
        origin: "http://localhost:3000",
      });
    },
  ],
  [
    "a cross-site Accept with a forged Referer",
    (p) =>
      post(`${p}/accept`, {
        referer: "http://localhost:3000.evil.example/x",
      }),
  ],
  [
    "a same-origin Accept, then /done?success=true",
    async (p) => {
      await post(`${p}/accept`, { origin: "http://localhost:3000" });
      await get(`${p}/done?success=true`);
    },
  ],
];

describe("nothing a browser sends marks an invitation verified or accepted", () => {
  for (const experience of ["new", "classic"] as const) {
    test.each(TRICKS)(`${experience} UL: %s`, async (_name, trick) => {
      fake.experience = experience;
      const inv = await openInvitation();
      await trick(inv.path);
      expect(await stateOf(inv.id)).toBe("emailed");
      expect(await acceptedAudits(inv.userId)).toBe(0);
    });
  }

  test("an invitation already 'verified' is not accepted by /done?success=true either", async () => {
    fake.experience = "classic";
    const inv = await openInvitation("verified");
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      emailVerified: true,
    });
    await post(`${inv.path}/accept`, { origin: "http://localhost:3000" });
    const done = await get(`${inv.path}/done?success=true`);
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain("Your password was not set");
    expect(await stateOf(inv.id)).toBe("verified");
  });

  test("a password set BEFORE the ticket was issued does not count", async () => {
    fake.experience = "new";
    const inv = await openInvitation();
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      lastPasswordReset: new Date(Date.now() - 3_600_000).toISOString(),
    });
    await post(`${inv.path}/accept`, { origin: "http://localhost:3000" });
    await get(`${inv.path}/done?success=true`);
    expect(await stateOf(inv.id)).toBe("emailed");
  });
});

describe("Auth0's record decides", () => {
  test("/verified marks verified only when Auth0 says email_verified (Classic)", async () => {
    fake.experience = "classic";
    const inv = await openInvitation();
    const accept = await post(`${inv.path}/accept`, {
      origin: "http://localhost:3000",
    });
    expect(accept.headers.location).toMatch(
      /\/u\/email-verification\?ticket=.*result=http%3A%2F%2Flocalhost%3A3000%2Finvitations%2F.*%2Fverified#$/,
    );
    expect((await get(`${inv.path}/verified?success=true`)).statusCode).toBe(
      400,
    );
    expect(await stateOf(inv.id)).toBe("emailed");
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      emailVerified: true,
    });
    // Even without success=true: Auth0's email_verified is what counts.
    const res = await get(`${inv.path}/verified`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(
      /\/lo\/reset\?ticket=.*result=http%3A%2F%2Flocalhost%3A3000%2Finvitations%2F.*%2Fdone#type=invite$/,
    );
    expect(await stateOf(inv.id)).toBe("verified");
  });

  test("New UL: one password ticket with client_id (the invitee app), no result_url, #type=invite", async () => {
    fake.experience = "new";
    const inv = await openInvitation();
    const res = await post(`${inv.path}/accept`, {
      origin: "http://localhost:3000",
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(
      /^https:\/\/fake\.auth0\.test\/lo\/reset\?ticket=\w+&client=guestlist-spa#type=invite$/,
    );
    expect(fake.calls.filter((c) => c.includes(inv.userId))).toEqual([
      `createPasswordChangeTicket:${inv.userId}`,
    ]);
  });

  test("an unreadable experience (no read:prompts) falls back to the single-ticket flow", async () => {
    const inv = await openInvitation();
    fake.experience = new Error(
      "Insufficient scope, expected any of: read:prompts",
    );
    try {
      const res = await post(`${inv.path}/accept`, {
        origin: "http://localhost:3000",
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toContain(
        "&client=guestlist-spa#type=invite",
      );
      expect(JSON.stringify(warnings.at(-1))).toContain("read:prompts");
    } finally {
      fake.experience = "new";
    }
  });

  test("a password set after the ticket → /done accepts (audited once) and sends the person to the app's login", async () => {
    fake.experience = "new";
    const inv = await openInvitation();
    await post(`${inv.path}/accept`, { origin: "http://localhost:3000" });
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      emailVerified: true,
      lastPasswordReset: new Date().toISOString(),
    });
    const done = await get(`${inv.path}/done`);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe("https://analytics.example.com/login");
    expect(await stateOf(inv.id)).toBe("accepted");
    // Replays: still accepted, still one audit entry, still to the app.
    const again = await get(`${inv.path}/done?success=true`);
    expect(again.headers.location).toBe("https://analytics.example.com/login");
    expect(await acceptedAudits(inv.userId)).toBe(1);
    const page = await get(inv.path);
    expect(page.body).toContain("You have already accepted this invitation");
    expect(page.body).toContain('href="https://analytics.example.com/login"');
  });

  test("pressing Accept again after the password was set goes to the app, no new ticket", async () => {
    fake.experience = "new";
    const inv = await openInvitation();
    await post(`${inv.path}/accept`, { origin: "http://localhost:3000" });
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      lastPasswordReset: new Date().toISOString(),
    });
    const before = fake.calls.length;
    const res = await post(`${inv.path}/accept`, {
      origin: "http://localhost:3000",
    });
    expect(res.headers.location).toBe("https://analytics.example.com/login");
    expect(fake.calls.slice(before)).toEqual([`getUser:${inv.userId}`]);
    expect(await stateOf(inv.id)).toBe("accepted");
  });

  test("a sign-in recorded by Auth0 accepts even without a ticket", async () => {
    const inv = await openInvitation();
    fake.users.set(inv.userId, {
      ...(fake.users.get(inv.userId) ?? ({} as never)),
      loginsCount: 1,
      lastLogin: new Date().toISOString(),
    });
    await get(`${inv.path}/done`);
    expect(await stateOf(inv.id)).toBe("accepted");
  });
});
