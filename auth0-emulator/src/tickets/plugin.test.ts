import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Keys } from "../keys.ts";
import { mgmtCaller, mgmtToken, type MgmtCaller } from "../test/mgmt-caller.ts";
import type { Store } from "../store/index.ts";
import {
  BASE_URL,
  authorizeUrl,
  buildTestEmulator,
  loginIdOf,
  pkcePair,
} from "../test/build-test-emulator.ts";

const ADA = "auth0|65a000000000000000000001";
let app: FastifyInstance;
let store: Store;
let keys: Keys;
let call: MgmtCaller;

beforeEach(async () => {
  ({ app, store, keys } = await buildTestEmulator());
  call = await mgmtCaller(app, keys, BASE_URL);
});
afterEach(() => app.close());

async function ticket(
  kind: "email-verification" | "password-change",
  body: Record<string, unknown>,
): Promise<URL> {
  const res = await call({ method: "POST", url: `/tickets/${kind}`, body });
  expect(res.statusCode).toBe(201);
  return new URL(res.json<{ ticket: string }>().ticket);
}

const pathOf = (u: URL) => `${u.pathname}${u.search}`;
const form = (fields: Record<string, string>) => ({
  method: "POST" as const,
  url: "/lo/reset",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: new URLSearchParams(fields).toString(),
});

async function loginStatus(email: string, password: string): Promise<number> {
  const { challenge } = pkcePair();
  const page = await app.inject({
    url: authorizeUrl({ code_challenge: challenge }),
  });
  const res = await app.inject({
    method: "POST",
    url: "/u/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      login: loginIdOf(page.body),
      email,
      password,
    }).toString(),
  });
  return res.statusCode;
}

describe("ticket endpoints", () => {
  test("return Auth0's URL shapes: 32 alphanumerics and a trailing #", async () => {
    const verify = await ticket("email-verification", { user_id: ADA });
    expect(verify.href).toMatch(
      new RegExp(
        `^${BASE_URL}/u/email-verification\\?ticket=[A-Za-z0-9]{32}#$`,
      ),
    );
    const reset = await ticket("password-change", { user_id: ADA, ttl_sec: 0 });
    expect(reset.href).toMatch(
      new RegExp(`^${BASE_URL}/lo/reset\\?ticket=[A-Za-z0-9]{32}#$`),
    );
    const stored = store.tickets.get(reset.searchParams.get("ticket") ?? "");
    expect((stored?.expires_at ?? 0) - Date.now()).toBeGreaterThan(431_990_000);
  });

  test("refuse new_password, user_id with email, unknown users and clients", async () => {
    const np = await call({
      method: "POST",
      url: "/tickets/password-change",
      body: { user_id: ADA, new_password: "x" },
    });
    expect(np.json()).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message:
        "Payload validation error: 'Additional properties not allowed: new_password'.",
      errorCode: "invalid_body",
    });
    const both = await call({
      method: "POST",
      url: "/tickets/password-change",
      body: {
        user_id: ADA,
        email: "admin@acme.test",
        connection_id: "con_GuestlistLocal01",
      },
    });
    expect(both.statusCode).toBe(400);
    const emailOnly = await call({
      method: "POST",
      url: "/tickets/password-change",
      body: { email: "admin@acme.test" },
    });
    expect(emailOnly.statusCode).toBe(400);
    const missing = await call({
      method: "POST",
      url: "/tickets/email-verification",
      body: { user_id: "auth0|nobody" },
    });
    expect(missing.json()).toMatchObject({
      statusCode: 404,
      message: "User not found.",
    });
    const client = await call({
      method: "POST",
      url: "/tickets/email-verification",
      body: { user_id: ADA, client_id: "nope" },
    });
    expect(client.json()).toMatchObject({
      statusCode: 400,
      message: "The client does not exist",
    });
  });

  test("password-change accepts email + connection_id instead of user_id", async () => {
    const url = await ticket("password-change", {
      email: "admin@acme.test",
      connection_id: "con_GuestlistLocal01",
    });
    expect(url.pathname).toBe("/lo/reset");
  });
});

describe("email verification page", () => {
  test("Classic: verifies the user and redirects with Auth0's success/message (+email), once", async () => {
    store.tenant.updatePrompts((p) => {
      p.universal_login_experience = "classic";
    });
    store.users.save({
      ...(store.users.get(ADA) ?? ({} as never)),
      email_verified: false,
    });
    const url = await ticket("email-verification", {
      user_id: ADA,
      result_url: "http://localhost:3000/verified?x=1",
      includeEmailInRedirect: true,
    });
    const res = await app.inject({ url: pathOf(url) });
    expect(res.statusCode).toBe(302);
    const target = new URL(String(res.headers.location));
    expect(target.origin + target.pathname).toBe(
      "http://localhost:3000/verified",
    );
    expect(Object.fromEntries(target.searchParams)).toEqual({
      x: "1",
      success: "true",
      message:
        "Your email was verified. You can continue using the application.",
      email: "admin@acme.test",
    });
    expect(store.users.get(ADA)?.email_verified).toBe(true);
    const again = await app.inject({ url: pathOf(url) });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain("This URL can be used only once");
  });

  test("unknown and expired tickets show an error page", async () => {
    const unknown = await app.inject({
      url: "/u/email-verification?ticket=nope",
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toContain("text/html");
    const url = await ticket("email-verification", {
      user_id: ADA,
      ttl_sec: 1,
    });
    const stored = store.tickets.get(url.searchParams.get("ticket") ?? "");
    if (stored) stored.expires_at = Date.now() - 1;
    const expired = await app.inject({ url: pathOf(url) });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain("Access expired.");
  });
});

describe("password reset page", () => {
  test("Classic: shows a labelled form, enforces the policy, sets the password, redirects, then login works", async () => {
    store.tenant.updatePrompts((p) => {
      p.universal_login_experience = "classic";
    });
    store.users.save({
      ...(store.users.get(ADA) ?? ({} as never)),
      email_verified: false,
    });
    const url = await ticket("password-change", {
      user_id: ADA,
      result_url: "http://localhost:3000/done",
      mark_email_as_verified: true,
    });
    const id = url.searchParams.get("ticket") ?? "";
    const page = await app.inject({ url: pathOf(url) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /<label for="new-password">New password<\/label>/,
    );
    expect(page.body).toMatch(
      /<label for="confirm-new-password">Confirm new password<\/label>/,
    );
    expect(page.body).toContain(
      '<button type="submit">Reset password</button>',
    );

    const weak = await app.inject(
      form({
        ticket: id,
        newPassword: "password",
        confirmNewPassword: "password",
      }),
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain("Password is too weak");
    const mismatch = await app.inject(
      form({
        ticket: id,
        newPassword: "N3w-passw0rd!",
        confirmNewPassword: "other",
      }),
    );
    expect(mismatch.statusCode).toBe(400);

    const ok = await app.inject(
      form({
        ticket: id,
        newPassword: "N3w-passw0rd!",
        confirmNewPassword: "N3w-passw0rd!",
      }),
    );
    expect(ok.statusCode).toBe(302);
    const target = new URL(String(ok.headers.location));
    expect(target.searchParams.get("success")).toBe("true");
    expect(target.searchParams.get("message")).toBe(
      "You can now login to the application with the new password.",
    );
    expect(target.searchParams.has("email")).toBe(false);
    expect(store.users.get(ADA)?.email_verified).toBe(true);
    expect(
      Date.now() - Date.parse(store.users.get(ADA)?.last_password_reset ?? ""),
    ).toBeLessThan(5000);

    expect(await loginStatus("admin@acme.test", "N3w-passw0rd!")).toBe(302);
    expect(
      await loginStatus("admin@acme.test", "correct-horse-battery-staple"),
    ).not.toBe(302);

    const reused = await app.inject(
      form({
        ticket: id,
        newPassword: "An0ther-pass!",
        confirmNewPassword: "An0ther-pass!",
      }),
    );
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain("This URL can be used only once");
    expect((await app.inject({ url: pathOf(url) })).statusCode).toBe(400);
  });

  test("without result_url it says the password was changed; without mark_email_as_verified the flag stays", async () => {
    store.users.save({
      ...(store.users.get(ADA) ?? ({} as never)),
      email_verified: false,
    });
    const url = await ticket("password-change", { user_id: ADA });
    const id = url.searchParams.get("ticket") ?? "";
    const ok = await app.inject(
      form({
        ticket: id,
        newPassword: "N3w-passw0rd!",
        confirmNewPassword: "N3w-passw0rd!",
      }),
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("Password changed");
    expect(store.users.get(ADA)?.email_verified).toBe(false);
  });

  test("a form post without a ticket gets an error page, not a crash", async () => {
    const res = await app.inject(form({ newPassword: "x" }));
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain("<h1>");
  });
});

describe("form-encoded ticket requests", () => {
  test("are accepted with text values coerced, as the spec allows", async () => {
    const token = await mgmtToken(keys, BASE_URL);
    const res = await app.inject({
      method: "POST",
      url: "/api/v2/tickets/password-change",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: new URLSearchParams({
        user_id: ADA,
        ttl_sec: "60",
        mark_email_as_verified: "true",
      }).toString(),
    });
    expect(res.statusCode).toBe(201);
    const id =
      new URL(res.json<{ ticket: string }>().ticket).searchParams.get(
        "ticket",
      ) ?? "";
    expect(store.tickets.get(id)?.mark_email_as_verified).toBe(true);
  });
});

const SPA = "guestlist-spa";
const resetWith = (id: string) =>
  form({
    ticket: id,
    newPassword: "N3w-passw0rd!",
    confirmNewPassword: "N3w-passw0rd!",
  });

function bindPostChallenge(code: string): void {
  const now = new Date().toISOString();
  store.actions.create({
    id: "act_postchallenge01",
    name: "invite-result-url",
    supported_triggers: [{ id: "password-reset-post-challenge" }],
    code,
    runtime: "node22",
    dependencies: [],
    secrets: [],
    created_at: now,
    updated_at: now,
    deployed: {
      id: "ver_1",
      number: 1,
      code,
      runtime: "node22",
      secrets: {},
      created_at: now,
    },
  });
  store.bindings.set("password-reset-post-challenge", [
    {
      id: "bnd_1",
      action_id: "act_postchallenge01",
      display_name: "invite-result-url",
      created_at: now,
    },
  ]);
}

describe("New Universal Login (the default): no redirects, a Back to <app> button", () => {
  test("password reset ignores result_url and links to the client's initiate_login_uri", async () => {
    expect(store.tenant.ulExperience).toBe("new");
    const url = await ticket("password-change", {
      user_id: ADA,
      client_id: SPA,
      mark_email_as_verified: true,
    });
    const id = url.searchParams.get("ticket") ?? "";
    expect((await app.inject({ url: pathOf(url) })).statusCode).toBe(200);
    const ok = await app.inject(resetWith(id));
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.location).toBeUndefined();
    expect(ok.body).toContain("Your password has been changed successfully.");
    expect(ok.body).toContain(
      '<a class="button" href="http://localhost:3000/login">Back to ExampleCo Analytics</a>',
    );
    expect(store.users.get(ADA)?.last_password_reset).toEqual(
      expect.any(String),
    );
  });

  test("result_url alone (no client) is ignored: no redirect, no button without a tenant login route", async () => {
    const url = await ticket("password-change", {
      user_id: ADA,
      result_url: "http://localhost:3000/done",
    });
    const ok = await app.inject(
      resetWith(url.searchParams.get("ticket") ?? ""),
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).not.toContain("<a ");
    expect(ok.body).not.toContain("localhost:3000/done");
  });

  test("falls back to the tenant's default login route (default_redirection_uri)", async () => {
    store.tenant.updateSettings((s) => {
      s.default_redirection_uri = "https://login.example.com/start";
    });
    const setup = await ticket("password-change", { user_id: ADA });
    const ok = await app.inject(
      resetWith(setup.searchParams.get("ticket") ?? ""),
    );
    expect(ok.body).toContain(
      '<a class="button" href="https://login.example.com/start">Back to the application</a>',
    );
    // a client without initiate_login_uri also falls back, with its name
    const spa = store.clients.get(SPA);
    if (spa?.settings) delete spa.settings.initiate_login_uri;
    const withClient = await ticket("password-change", {
      user_id: ADA,
      client_id: SPA,
    });
    const ok2 = await app.inject(
      resetWith(withClient.searchParams.get("ticket") ?? ""),
    );
    expect(ok2.body).toContain(
      'href="https://login.example.com/start">Back to ExampleCo Analytics</a>',
    );
  });

  test("a bound password-reset-post-challenge Action's setResultUrl wins; it sees the ticket URL's query", async () => {
    bindPostChallenge(`
      exports.onExecutePostChallenge = async (event, api) => {
        if (event.request.query.type === "invite") {
          const u = new URL("http://localhost:3000/welcome");
          u.searchParams.set("tenant", event.user.app_metadata.tenant_id);
          u.searchParams.set("app", event.client.name);
          api.transaction.setResultUrl(u.toString());
        }
      };`);
    const url = await ticket("password-change", {
      user_id: ADA,
      client_id: SPA,
    });
    const id = url.searchParams.get("ticket") ?? "";
    await app.inject({ url: `/lo/reset?ticket=${id}&type=invite` });
    const ok = await app.inject(resetWith(id));
    expect(ok.body).toContain(
      'href="http://localhost:3000/welcome?tenant=acme&amp;app=ExampleCo+Analytics">Back to ExampleCo Analytics</a>',
    );
    // without the query parameter the Action sets nothing: the app's login route
    const plain = await ticket("password-change", {
      user_id: ADA,
      client_id: SPA,
    });
    await app.inject({ url: pathOf(plain) });
    const ok2 = await app.inject(
      resetWith(plain.searchParams.get("ticket") ?? ""),
    );
    expect(ok2.body).toContain('href="http://localhost:3000/login"');
    // binding another trigger keeps the implicit post-login Action (tenant claim in tokens)
    expect(await loginStatus("admin@acme.test", "N3w-passw0rd!")).toBe(302);
  });

  test("an Action that throws shows an error page", async () => {
    bindPostChallenge(
      `exports.onExecutePostChallenge = async () => { throw new Error("boom"); };`,
    );
    const url = await ticket("password-change", { user_id: ADA });
    const page = await app.inject({ url: pathOf(url) });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('role="alert"');
  });

  test("email verification with client_id shows the button; result_url with client_id is refused", async () => {
    store.users.save({
      ...(store.users.get(ADA) ?? ({} as never)),
      email_verified: false,
    });
    const refused = await call({
      method: "POST",
      url: "/tickets/email-verification",
      body: {
        user_id: ADA,
        client_id: SPA,
        result_url: "http://localhost:3000/verified",
      },
    });
    expect(refused.json()).toMatchObject({
      statusCode: 400,
      errorCode: "invalid_body",
    });
    const url = await ticket("email-verification", {
      user_id: ADA,
      client_id: SPA,
    });
    const res = await app.inject({ url: pathOf(url) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<a class="button" href="http://localhost:3000/login">Back to ExampleCo Analytics</a>',
    );
    expect(store.users.get(ADA)?.email_verified).toBe(true);
    const noClient = await ticket("email-verification", {
      user_id: ADA,
      result_url: "http://localhost:3000/verified",
    });
    const res2 = await app.inject({ url: pathOf(noClient) });
    expect(res2.statusCode).toBe(200);
    expect(res2.body).not.toContain("<a ");
  });

  test("client_id must name an existing client on both tickets", async () => {
    for (const kind of ["password-change", "email-verification"] as const) {
      const res = await call({
        method: "POST",
        url: `/tickets/${kind}`,
        body: { user_id: ADA, client_id: "nope" },
      });
      expect(res.json()).toMatchObject({
        statusCode: 400,
        message: "The client does not exist",
      });
    }
  });
});
