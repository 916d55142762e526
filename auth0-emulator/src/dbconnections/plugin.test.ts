import type { FastifyInstance } from "fastify";
import { AuthenticationClient } from "auth0/legacy";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { checkPassword, type Store } from "../store/index.ts";
import { CHANGE_PASSWORD_SENT } from "./plugin.ts";

const CONN = "Username-Password-Authentication";
let emu: RunningEmulator;
let app: FastifyInstance;
let store: Store;

beforeEach(async () => {
  emu = await startEmulator({ bcryptRounds: 4 });
  ({ app, store } = emu);
});
afterEach(() => emu.close());

const viaEmulator = (): typeof fetch => (input, init) => {
  const url =
    typeof input === "string"
      ? input
      : input instanceof URL
        ? input.href
        : input.url;
  return fetch(url.replace(/^https:\/\/tenant\.test/, emu.url), init);
};

describe("POST /dbconnections/change_password", () => {
  test("the legacy SDK gets 200 text, and the emailed link lets the user set a password", async () => {
    const auth = new AuthenticationClient({
      domain: "tenant.test",
      clientId: "guestlist-spa",
      fetch: viaEmulator(),
    });
    const res = await auth.database.changePassword({
      email: "admin@acme.test",
      connection: CONN,
    });
    expect(res.data).toBe(CHANGE_PASSWORD_SENT);
    const { emails } = (await app.inject({ url: "/__emulator/emails" })).json<{
      emails: { to: string; link: string }[];
    }>();
    expect(emails).toHaveLength(1);
    const link = new URL(emails[0]?.link ?? "");
    expect(link.pathname).toBe("/lo/reset");
    const ticket = link.searchParams.get("ticket") ?? "";
    const done = await app.inject({
      method: "POST",
      url: "/lo/reset",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        ticket,
        newPassword: "Fresh-pass-42",
        confirmNewPassword: "Fresh-pass-42",
      }).toString(),
    });
    expect(done.statusCode).toBe(200);
    expect(
      checkPassword(
        "Fresh-pass-42",
        store.users.byEmail("admin@acme.test")?.password_hash ?? null,
      ),
    ).toBe(true);
  });

  test("answers the same for an unknown email, and sends nothing", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/dbconnections/change_password",
      payload: {
        client_id: "guestlist-spa",
        email: "nobody@acme.test",
        connection: CONN,
      },
    });
    expect([res.statusCode, res.body]).toEqual([200, CHANGE_PASSWORD_SENT]);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect((await app.inject({ url: "/__emulator/emails" })).json()).toEqual({
      emails: [],
    });
  });
});

describe("POST /dbconnections/signup", () => {
  const body = {
    client_id: "guestlist-spa",
    email: "walk-in@acme.test",
    password: "Walk-in-pass-1",
    connection: CONN,
  };

  test("is refused while the connection disables sign-ups", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/dbconnections/signup",
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: "operation_not_allowed",
      error_description: "Public signup is disabled",
    });
    expect(store.users.byEmail(body.email)).toBeUndefined();
  });

  test("creates the user when sign-ups are enabled, enforcing the password policy", async () => {
    store.connection.options.disable_signup = false;
    const weak = await app.inject({
      method: "POST",
      url: "/dbconnections/signup",
      payload: { ...body, password: "weak" },
    });
    expect(weak.json()).toMatchObject({ error: "invalid_password" });
    const res = await app.inject({
      method: "POST",
      url: "/dbconnections/signup",
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      email: body.email,
      email_verified: false,
    });
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/dbconnections/signup",
          payload: body,
        })
      ).json(),
    ).toMatchObject({ error: "invalid_signup" });
  });
});
