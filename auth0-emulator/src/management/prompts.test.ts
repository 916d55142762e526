import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Keys } from "../keys.ts";
import { Store } from "../store/index.ts";
import { BASE_URL, buildTestEmulator } from "../test/build-test-emulator.ts";
import { mgmtCaller, mgmtToken, type MgmtCaller } from "../test/mgmt-caller.ts";

let app: FastifyInstance;
let store: Store;
let keys: Keys;
let call: MgmtCaller;
let admin: string;

beforeEach(async () => {
  ({ app, store, keys } = await buildTestEmulator());
  call = await mgmtCaller(app, keys, BASE_URL);
  admin = await mgmtToken(keys, BASE_URL, [
    "read:prompts",
    "update:prompts",
    "read:tenant_settings",
    "update:tenant_settings",
  ]);
});
afterEach(() => app.close());

describe("GET/PATCH /prompts", () => {
  test("New Universal Login by default; PATCH switches; reset returns to the seed default", async () => {
    const got = await call({ url: "/prompts", token: admin });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual({
      universal_login_experience: "new",
      identifier_first: false,
      webauthn_platform_first_factor: false,
    });
    const patched = await call({
      method: "PATCH",
      url: "/prompts",
      token: admin,
      body: { universal_login_experience: "classic", identifier_first: true },
    });
    expect(patched.json()).toMatchObject({
      universal_login_experience: "classic",
      identifier_first: true,
    });
    expect(store.tenant.ulExperience).toBe("classic");
    store.reset();
    expect(
      (await call({ url: "/prompts", token: admin })).json(),
    ).toMatchObject({ universal_login_experience: "new" });
  });

  test("the seed default comes from the store options (EMULATOR_UL_EXPERIENCE)", () => {
    const classic = new Store({
      bcryptRounds: 4,
      seedDefaults: { ulExperience: "classic" },
    });
    expect(classic.tenant.ulExperience).toBe("classic");
    classic.tenant.updatePrompts((p) => {
      p.universal_login_experience = "new";
    });
    classic.reset();
    expect(classic.tenant.ulExperience).toBe("classic");
  });

  test("bad bodies are 400 invalid_body; scopes are Auth0's", async () => {
    const bad = await call({
      method: "PATCH",
      url: "/prompts",
      token: admin,
      body: { universal_login_experience: "modern" },
    });
    expect(bad.json()).toMatchObject({
      statusCode: 400,
      errorCode: "invalid_body",
    });
    const empty = await call({
      method: "PATCH",
      url: "/prompts",
      token: admin,
      body: {},
    });
    expect(empty.statusCode).toBe(400);
    const extra = await call({
      method: "PATCH",
      url: "/prompts",
      token: admin,
      body: { other: 1 },
    });
    expect(extra.json<{ message: string }>().message).toContain(
      "Additional properties not allowed: other",
    );
    const noRead = await call({ url: "/prompts" });
    expect(noRead.json()).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Insufficient scope, expected any of: read:prompts",
      errorCode: "insufficient_scope",
    });
    const readOnly = await mgmtToken(keys, BASE_URL, ["read:prompts"]);
    const noUpdate = await call({
      method: "PATCH",
      url: "/prompts",
      token: readOnly,
      body: { universal_login_experience: "classic" },
    });
    expect(noUpdate.json<{ message: string }>().message).toBe(
      "Insufficient scope, expected any of: update:prompts",
    );
    const anon = await app.inject({ url: "/api/v2/prompts" });
    expect(anon.json()).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: "Missing authentication",
    });
  });
});

test("EMULATOR_APP_LOGIN_URL sets the seeded SPA's initiate_login_uri", () => {
  const local = new Store({
    bcryptRounds: 4,
    seedDefaults: { appLoginUrl: "http://localhost:3100/login" },
  });
  expect(local.clients.get("guestlist-spa")).toMatchObject({
    name: "ExampleCo Analytics",
    settings: { initiate_login_uri: "http://localhost:3100/login" },
  });
  expect(
    new Store({ bcryptRounds: 4 }).clients.get("guestlist-spa")?.settings,
  ).toMatchObject({ initiate_login_uri: "http://localhost:3000/login" });
});

describe("tenant settings: default_redirection_uri", () => {
  test("set, read, cleared with an empty string; https or loopback only", async () => {
    const set = await call({
      method: "PATCH",
      url: "/tenants/settings",
      token: admin,
      body: { default_redirection_uri: "https://app.example.com/login" },
    });
    expect(set.json()).toEqual({
      default_redirection_uri: "https://app.example.com/login",
    });
    expect(
      (await call({ url: "/tenants/settings", token: admin })).json(),
    ).toEqual({ default_redirection_uri: "https://app.example.com/login" });
    const http = await call({
      method: "PATCH",
      url: "/tenants/settings",
      token: admin,
      body: { default_redirection_uri: "http://app.example.com/login" },
    });
    expect(http.statusCode).toBe(400);
    await call({
      method: "PATCH",
      url: "/tenants/settings",
      token: admin,
      body: { default_redirection_uri: "" },
    });
    expect(
      (await call({ url: "/tenants/settings", token: admin })).json(),
    ).toEqual({});
  });
});
