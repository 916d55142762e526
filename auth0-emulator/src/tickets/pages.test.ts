import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Keys } from "../keys.ts";
import {
  mgmtCaller,
  mgmtToken,
  type MgmtCaller,
} from "../management/test-support.ts";
import type { Store } from "../store.ts";
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
    const stored = store.state.tickets[reset.searchParams.get("ticket") ?? ""];
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
  test("verifies the user and redirects with Auth0's success/message (+email), once", async () => {
    store.putUser({
      ...(store.userById(ADA) ?? ({} as never)),
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
    expect(store.userById(ADA)?.email_verified).toBe(true);
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
    const stored = store.state.tickets[url.searchParams.get("ticket") ?? ""];
    if (stored) stored.expires_at = Date.now() - 1;
    const expired = await app.inject({ url: pathOf(url) });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain("Access expired.");
  });
});

describe("password reset page", () => {
  test("shows a labelled form, enforces the policy, sets the password, then login works", async () => {
    store.putUser({
      ...(store.userById(ADA) ?? ({} as never)),
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
    expect(store.userById(ADA)?.email_verified).toBe(true);

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
    store.putUser({
      ...(store.userById(ADA) ?? ({} as never)),
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
    expect(store.userById(ADA)?.email_verified).toBe(false);
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
    expect(store.state.tickets[id]?.mark_email_as_verified).toBe(true);
  });
});
