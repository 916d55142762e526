// Role assignment through the Management API changes what the person's next token carries
// (Auth0 RBAC: access tokens hold the permissions of the roles assigned at sign-in).
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  API,
  BASE_URL,
  buildTestEmulator,
  exchangeCode,
  login,
  type TestEmulator,
} from "../test/build-test-emulator.ts";
import {
  ALL_SCOPES,
  mgmtCaller,
  mgmtToken,
  type MgmtCaller,
} from "../test/mgmt-caller.ts";

const ADMIN_ROLE = "rol_CustomerAdmin01";
let emu: TestEmulator;
let mgmt: MgmtCaller;
let userId: string;

beforeEach(async () => {
  emu = await buildTestEmulator();
  const call = await mgmtCaller(emu.app, emu.keys, BASE_URL);
  // the BFF's grant (seed.json): update:users and create:role_members among others
  const token = await mgmtToken(emu.keys, BASE_URL, [
    ...ALL_SCOPES,
    "read:roles",
    "create:role_members",
  ]);
  mgmt = (opts) => call({ token, ...opts });
  const created = await emu.app.inject({
    method: "POST",
    url: "/__emulator/users",
    payload: {
      email: "promoted@acme.test",
      password: "correct-horse-battery-staple",
      email_verified: true,
      app_metadata: { tenant_id: "acme" },
    },
  });
  userId = String(created.json<{ id: string }>().id);
});
afterEach(async () => {
  await emu.app.close();
});

async function minted(): Promise<string[]> {
  const res = await emu.app.inject({
    method: "POST",
    url: "/__emulator/tokens",
    payload: { email: "promoted@acme.test" },
  });
  const claims = await emu.keys.verify(
    res.json<{ access_token: string }>().access_token,
    API,
  );
  return claims.permissions as string[];
}

async function signedIn(): Promise<string[]> {
  const { code, verifier } = await login(emu.app, "promoted@acme.test");
  const claims = await emu.keys.verify(
    (await exchangeCode(emu.app, code, verifier)).json<{
      access_token: string;
    }>().access_token,
    API,
  );
  return claims.permissions as string[];
}

describe("role assignment", () => {
  test("POST /roles/{id}/users: the next sign-in carries the role's permissions; DELETE /users/{id}/roles: gone", async () => {
    expect(await minted()).toEqual([]);
    const assign = await mgmt({
      method: "POST",
      url: `/roles/${ADMIN_ROLE}/users`,
      body: { users: [userId] },
    });
    expect(assign.statusCode).toBe(200);
    expect(await minted()).toContain("invite:members");
    expect(await signedIn()).toContain("invite:members");

    const remove = await mgmt({
      method: "DELETE",
      url: `/users/${encodeURIComponent(userId)}/roles`,
      body: { roles: [ADMIN_ROLE] },
    });
    expect(remove.statusCode).toBe(204);
    expect(await minted()).toEqual([]);
    expect(await signedIn()).toEqual([]);

    const again = await mgmt({
      method: "POST",
      url: `/users/${encodeURIComponent(userId)}/roles`,
      body: { roles: [ADMIN_ROLE] },
    });
    expect(again.statusCode).toBe(204);
    expect(await signedIn()).toContain("read:members");
  });

  test("assigning twice holds the role once; one unknown user fails the whole call", async () => {
    for (let i = 0; i < 2; i++)
      await mgmt({
        method: "POST",
        url: `/roles/${ADMIN_ROLE}/users`,
        body: { users: [userId] },
      });
    expect(
      emu.store.users.get(userId)?.roles.filter((r) => r === ADMIN_ROLE),
    ).toHaveLength(1);
    const bad = await mgmt({
      method: "POST",
      url: `/roles/${ADMIN_ROLE}/users`,
      body: { users: ["auth0|000000000000000000000000"] },
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json<{ message: string }>().message).toBe(
      "One or more of the users do not exist.",
    );
    const noRole = await mgmt({
      method: "POST",
      url: `/roles/rol_NoSuchRole/users`,
      body: { users: [userId] },
    });
    expect(noRole.statusCode).toBe(404);
    const extra = await mgmt({
      method: "POST",
      url: `/roles/${ADMIN_ROLE}/users`,
      body: { users: [userId], roles: [] },
    });
    expect(extra.statusCode).toBe(400);
  });

  test("needs create:role_members (or update:roles / update:users as the spec lists them)", async () => {
    const token = await mgmtToken(emu.keys, BASE_URL, ["read:users"]);
    const res = await mgmt({
      method: "POST",
      url: `/roles/${ADMIN_ROLE}/users`,
      body: { users: [userId] },
      token,
    });
    expect(res.statusCode).toBe(403);
    const ok = await mgmt({
      method: "POST",
      url: `/roles/${ADMIN_ROLE}/users`,
      body: { users: [userId] },
      token: await mgmtToken(emu.keys, BASE_URL, ["create:role_members"]),
    });
    expect(ok.statusCode).toBe(200);
  });
});
