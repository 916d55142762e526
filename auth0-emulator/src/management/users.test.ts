import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { checkPassword, makeUser, type Store } from "../store/index.ts";
import type { Keys } from "../keys.ts";
import {
  BASE_URL,
  PASSWORD,
  authorizeUrl,
  buildTestEmulator,
  loginIdOf,
  pkcePair,
} from "../test/build-test-emulator.ts";
import { mgmtCaller, mgmtToken, type MgmtCaller } from "../test/mgmt-caller.ts";

const ADA = "auth0|65a000000000000000000001";
const ADA_URL = `/users/${encodeURIComponent(ADA)}`;
const CONN = "Username-Password-Authentication";
let app: FastifyInstance;
let store: Store;
let keys: Keys;
let call: MgmtCaller;

beforeEach(async () => {
  ({ app, store, keys } = await buildTestEmulator());
  call = await mgmtCaller(app, keys, BASE_URL);
});
afterEach(() => app.close());

describe("authentication and scopes", () => {
  test("401 without a token, with a bad token, and with a token for another audience", async () => {
    expect((await app.inject({ url: "/api/v2/users" })).json()).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: "Missing authentication",
    });
    expect((await call({ url: "/users", token: "not-a-jwt" })).statusCode).toBe(
      401,
    );
    const other = await keys.sign(
      { aud: "https://guestlist.example/api", scope: "read:users" },
      { expiresInSec: 60 },
    );
    const res = await call({ url: "/users", token: other });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      message: `Bad audience: ${BASE_URL}/api/v2/`,
    });
  });

  test("403 insufficient_scope names the operation's scopes", async () => {
    const token = await mgmtToken(keys, BASE_URL, ["read:users"]);
    const res = await call({
      method: "POST",
      url: "/users",
      token,
      body: { connection: CONN },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Insufficient scope, expected any of: create:users",
      errorCode: "insufficient_scope",
    });
  });

  test("connection options need read:connections_options", async () => {
    const token = await mgmtToken(keys, BASE_URL, ["read:connections"]);
    const without = (
      await call({ url: "/connections/con_GuestlistLocal01", token })
    ).json<Record<string, unknown>>();
    expect(without.options).toBeUndefined();
    const withOpts = (
      await call({ url: "/connections/con_GuestlistLocal01" })
    ).json<{ options: { disable_signup: boolean } }>();
    expect(withOpts.options.disable_signup).toBe(true);
    expect(
      (await call({ url: "/connections/con_0000000000000000" })).json(),
    ).toMatchObject({
      statusCode: 404,
      message: "The connection does not exist.",
    });
  });
});

describe("POST /users", () => {
  test("creates a user with Auth0's defaults and refuses a duplicate with 409", async () => {
    const body = {
      connection: CONN,
      email: "New.Person@Acme.test",
      password: "Sup3r-secret!",
      email_verified: false,
      verify_email: false,
      app_metadata: { tenant_id: "acme" },
    };
    const res = await call({ method: "POST", url: "/users", body });
    expect(res.statusCode).toBe(201);
    const user = res.json<Record<string, unknown>>();
    expect(user).toMatchObject({
      email: "new.person@acme.test",
      name: "new.person@acme.test",
      nickname: "new.person",
      email_verified: false,
      app_metadata: { tenant_id: "acme" },
    });
    expect(user.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(user).not.toHaveProperty("password_hash");
    expect(user).not.toHaveProperty("verify_email");
    const dup = await call({ method: "POST", url: "/users", body });
    expect(dup.json()).toEqual({
      statusCode: 409,
      error: "Conflict",
      message: "The user already exists.",
      errorCode: "auth0_idp_error",
    });
  });

  test("refuses unknown fields, weak passwords and unknown connections", async () => {
    const unknown = await call({
      method: "POST",
      url: "/users",
      body: {
        connection: CONN,
        email: "a@b.test",
        password: "Sup3r-secret!",
        invited: true,
      },
    });
    expect(unknown.json()).toMatchObject({
      statusCode: 400,
      message:
        "Payload validation error: 'Additional properties not allowed: invited'.",
      errorCode: "invalid_body",
    });
    const weak = await call({
      method: "POST",
      url: "/users",
      body: { connection: CONN, email: "a@b.test", password: "password" },
    });
    expect(weak.json()).toMatchObject({
      statusCode: 400,
      message: "PasswordStrengthError: Password is too weak",
    });
    const conn = await call({
      method: "POST",
      url: "/users",
      body: {
        connection: "Other",
        email: "a@b.test",
        password: "Sup3r-secret!",
      },
    });
    expect(conn.json()).toMatchObject({
      statusCode: 400,
      message: "Connection does not exist.",
    });
  });
});

describe("GET /users", () => {
  test("returns a bare array by default and {start,limit,length,total,users} with include_totals", async () => {
    const bare = await call({
      url: "/users?search_engine=v3&q=app_metadata.tenant_id%3Aacme",
    });
    expect(bare.json<{ email: string }[]>().map((u) => u.email)).toEqual([
      "admin@acme.test",
    ]);
    const paged = await call({
      url: "/users?per_page=2&page=1&include_totals=true&sort=email:1",
    });
    expect(paged.json()).toMatchObject({
      start: 2,
      limit: 2,
      length: 1,
      total: 3,
      users: [{ email: "support@exampleco.test" }],
    });
  });

  test("enforces the 1,000-result paging cap and v3-only search", async () => {
    const ok = await call({ url: "/users?per_page=50&page=19" });
    expect(ok.statusCode).toBe(200);
    const capped = await call({ url: "/users?per_page=50&page=20" });
    expect(capped.json()).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining(
        "You can only page through the first 1000 records",
      ) as unknown,
    });
    expect(
      (await call({ url: "/users?q=email%3Ax&search_engine=v2" })).json(),
    ).toMatchObject({
      message:
        "You are not allowed to use search_engine=v2. Use search_engine=v3 instead.",
    });
    expect(
      (await call({ url: "/users?q=email%3A%22open" + "&search_engine=v3" }))
        .statusCode,
    ).toBe(400);
  });

  test("finds users past the first page of a large tenant", async () => {
    for (let i = 0; i < 120; i++)
      store.users.save(
        makeUser({
          email: `bulk${String(i).padStart(3, "0")}@acme.test`,
          connection: CONN,
          app_metadata: { tenant_id: "bulk" },
        }),
      );
    const res = await call({
      url: "/users?search_engine=v3&q=app_metadata.tenant_id%3Abulk&per_page=100&page=1&include_totals=true&sort=email:1",
    });
    const body = res.json<{
      total: number;
      length: number;
      users: { email: string }[];
    }>();
    expect([body.total, body.length, body.users[0]?.email]).toEqual([
      120,
      20,
      "bulk100@acme.test",
    ]);
  });
});

describe("users by id and email", () => {
  test("GET /users/{id} projects fields; unknown ids get inexistent_user", async () => {
    expect(
      (
        await call({
          url: `${ADA_URL}?fields=user_id,email&include_fields=true`,
        })
      ).json(),
    ).toEqual({ user_id: ADA, email: "admin@acme.test" });
    expect((await call({ url: "/users/auth0%7Cnope" })).json()).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "The user does not exist.",
      errorCode: "inexistent_user",
    });
  });

  test("users-by-email matches the stored lower-case email exactly, as the spec says", async () => {
    expect(
      (await call({ url: "/users-by-email?email=admin%40acme.test" })).json(),
    ).toHaveLength(1);
    expect(
      (await call({ url: "/users-by-email?email=Admin%40Acme.test" })).json(),
    ).toEqual([]);
  });

  test("PATCH merges first-level metadata, nulls unset, password sets the hash", async () => {
    await call({
      method: "PATCH",
      url: ADA_URL,
      body: { app_metadata: { invite: { status: "sent" }, plan: "pro" } },
    });
    const res = await call({
      method: "PATCH",
      url: ADA_URL,
      body: {
        app_metadata: { invite: { at: 1 }, plan: null },
        blocked: true,
        given_name: null,
      },
    });
    const user = res.json<Record<string, unknown>>();
    expect(user.app_metadata).toEqual({ tenant_id: "acme", invite: { at: 1 } });
    expect(user.blocked).toBe(true);
    expect(user).not.toHaveProperty("given_name");
    const pw = await call({
      method: "PATCH",
      url: ADA_URL,
      body: { password: "N3w-passw0rd!", connection: CONN },
    });
    expect(pw.json()).toHaveProperty("last_password_reset");
    expect(
      checkPassword(
        "N3w-passw0rd!",
        store.users.get(ADA)?.password_hash ?? null,
      ),
    ).toBe(true);
  });

  test("PATCH refuses Auth0's forbidden combinations", async () => {
    const res = await call({
      method: "PATCH",
      url: ADA_URL,
      body: { password: "N3w-passw0rd!", email_verified: true },
    });
    expect(res.json()).toMatchObject({
      statusCode: 400,
      message: "Cannot update password and email_verified simultaneously.",
    });
  });

  test("DELETE answers 204 and the user is gone", async () => {
    expect((await call({ method: "DELETE", url: ADA_URL })).statusCode).toBe(
      204,
    );
    expect((await call({ url: ADA_URL })).statusCode).toBe(404);
  });
});

describe("sign-in and password facts (what an app reads to tell that an invitee finished)", () => {
  async function login(email: string): Promise<number> {
    const page = await app.inject({
      url: authorizeUrl({ code_challenge: pkcePair().challenge }),
    });
    const res = await app.inject({
      method: "POST",
      url: "/u/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        login: loginIdOf(page.body),
        email,
        password: PASSWORD,
      }).toString(),
    });
    return res.statusCode;
  }

  test("a login sets last_login, last_ip and logins_count; GET respects fields", async () => {
    const before = await call({ url: ADA_URL });
    expect(before.json()).toMatchObject({ logins_count: 0 });
    expect(before.json()).not.toHaveProperty("last_login");
    expect(await login("admin@acme.test")).toBe(302);
    expect(await login("admin@acme.test")).toBe(302);
    const after = await call({
      url: `${ADA_URL}?fields=logins_count,last_login,last_ip&include_fields=true`,
    });
    const body = after.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual([
      "last_ip",
      "last_login",
      "logins_count",
    ]);
    expect(body.logins_count).toBe(2);
    expect(Date.now() - Date.parse(String(body.last_login))).toBeLessThan(5000);
    const excluded = await call({
      url: `${ADA_URL}?fields=last_login&include_fields=false`,
    });
    expect(excluded.json()).not.toHaveProperty("last_login");
    expect(excluded.json()).toHaveProperty("logins_count", 2);
  });

  test("search by range: logins_count, last_login, last_password_reset", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    expect(await login("admin@globex.test")).toBe(302);
    await call({
      method: "PATCH",
      url: ADA_URL,
      body: { password: "N3w-passw0rd!", connection: CONN },
    });
    const q = async (query: string) =>
      (
        await call({
          url: `/users?search_engine=v3&q=${encodeURIComponent(query)}&fields=email`,
        })
      )
        .json<{ email: string }[]>()
        .map((u) => u.email);
    expect(await q("logins_count:[1 TO *]")).toEqual(["admin@globex.test"]);
    expect(await q(`last_login:[${since} TO *]`)).toEqual([
      "admin@globex.test",
    ]);
    expect(
      await q(
        `app_metadata.tenant_id:"acme" AND last_password_reset:[${since} TO *]`,
      ),
    ).toEqual(["admin@acme.test"]);
    expect(
      await q(
        `app_metadata.tenant_id:"globex" AND last_password_reset:[${since} TO *]`,
      ),
    ).toEqual([]);
    const bad = await call({
      url: `/users?search_engine=v3&q=${encodeURIComponent("logins_count:[1 TO")}`,
    });
    expect(bad.statusCode).toBe(400);
  });
});
