// `setupTenant` against the in-process emulator through the real auth0 SDK: a fresh tenant gets
// everything created, a second run changes nothing, the deployed Action decides the tenant claim,
// and every Management API request and response conforms to Auth0's official spec.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import {
  capturingFetch,
  SpecChecker,
  type Exchange,
} from "@app/auth0-emulator/testing";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadSetupConfig, type SetupConfig } from "./config.ts";
import { BFF_SCOPES, desiredTenant, type DesiredTenant } from "./desired.ts";
import { envLines } from "./env-output.ts";
import { managementClientFor } from "./management-client.ts";
import { setupTenant, type SetupResult } from "./setup-tenant.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const specDir =
  process.env.AUTH0_SPEC_DIR ?? resolve(repoRoot, "..", "shared", "auth0");
const hasSpec = existsSync(resolve(specDir, "management-api-oas.json"));
if (!hasSpec)
  console.warn(
    `[auth0:setup] spec checks skipped: no Auth0 spec at ${specDir}`,
  );

const OPERATIONS = [
  "get_clients",
  "post_clients",
  "patch_clients_by_id",
  "get_resource-servers",
  "post_resource-servers",
  "patch_resource-servers_by_id",
  "get_roles",
  "post_roles",
  "get_role_permission",
  "post_role_permission_assignment",
  "get_client-grants",
  "post_client-grants",
  "patch_client-grants_by_id",
  "get_actions",
  "post_action",
  "get_action",
  "patch_action",
  "post_deploy_action",
  "get_bindings",
  "patch_bindings",
  "get_connections",
  "get_connections_by_id",
  "patch_connections_by_id",
  "get_clients_by_id",
  "get_connection_clients",
  "patch_clients",
  "get_prompts",
];
const CLAIM = "https://setup.test/tenant";

let emu: RunningEmulator;
let exchanges: Exchange[];
let config: SetupConfig;
let desired: DesiredTenant;

beforeEach(async () => {
  emu = await startEmulator({ bcryptRounds: 4 });
  exchanges = [];
  config = loadSetupConfig({
    AUTH0_MANAGEMENT_URL: emu.url,
    AUTH0_SETUP_CLIENT_ID: "guestlist-setup",
    AUTH0_SETUP_CLIENT_SECRET: "guestlist-setup-local-secret",
    PUBLIC_URL: "https://guestlist.acme-saas.test",
    AUTH0_SETUP_EXTRA_URLS: "http://localhost:5173",
    TENANT_CLAIM: CLAIM,
  });
  desired = desiredTenant({
    managementAudience: config.managementAudience,
    publicUrl: config.publicUrl,
    extraUrls: config.extraUrls,
    tenantClaim: CLAIM,
  });
});
afterEach(async () => {
  await emu.close();
});

function run(d: DesiredTenant = desired): Promise<SetupResult> {
  const mgmt = managementClientFor(config, capturingFetch(exchanges));
  return setupTenant(mgmt, d, { pollMs: 10 });
}

function managementCalls(): string[] {
  return exchanges
    .filter((x) => new URL(x.url).pathname.includes("/api/v2/"))
    .map((x) => `${x.method} ${new URL(x.url).pathname}`);
}

/** A tenant as Auth0 creates it: a database connection with sign-ups on, nothing of ours. */
function makeFreshTenant(): void {
  const { store } = emu;
  for (const a of [...store.apis.list()]) store.apis.delete(a.identifier);
  for (const r of [...store.roles.list()]) store.roles.delete(r.id);
  for (const c of [...store.clients.list()])
    if (c.client_id !== "guestlist-setup") store.clients.delete(c.client_id);
  store.connections.update(store.connection.id, (con) => {
    con.options = { ...con.options, disable_signup: false };
    con.enabled_clients = [];
  });
}

const actions = (r: SetupResult) =>
  Object.fromEntries(r.changes.map((c) => [c.item, c.action]));

async function token(
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await fetch(
    `${emu.url}${"grant_type" in body ? "/oauth/token" : "/__emulator/tokens"}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  expect(res.status).toBe(200);
  return decodeJwt(
    ((await res.json()) as { access_token: string }).access_token,
  );
}

describe("setupTenant", () => {
  test("configures a fresh tenant, then reports everything unchanged on a second run", async () => {
    makeFreshTenant();
    const first = await run();
    expect(actions(first)).toEqual({
      'API "https://guestlist.example/api"': "created",
      'role "Customer admin"': "created",
      'role "Support"': "created",
      'SPA application "Guestlist"': "created",
      'M2M application "Guestlist BFF"': "created",
      'Management API grant of "Guestlist BFF"': "created",
      'post-login Action "guestlist-tenant-claim"': "created",
      "post-login trigger binding": "created",
      'invitee application "ExampleCo Analytics"': "updated",
      'database connection "Username-Password-Authentication"': "updated",
    });
    expect(first.universalLoginExperience).toBe("new");
    expect(first.notes.join("\n")).toContain(
      'Universal Login experience: new. After the invitee sets a password, Auth0 shows a "Back to ExampleCo Analytics" button',
    );
    const second = await run();
    expect(second.changes.filter((c) => c.action !== "unchanged")).toEqual([]);
    expect(second.values).toMatchObject({
      spaClientId: first.values.spaClientId,
      bffClientId: first.values.bffClientId,
    });

    const con = emu.store.connection;
    expect(con.options).toMatchObject({
      disable_signup: true,
      passwordPolicy: "good",
    }); // merged, not replaced
    expect(con.enabled_clients).toEqual([first.values.spaClientId]);
    // enabled through PATCH /connections/{id}/clients, never the deprecated enabled_clients field
    expect(managementCalls()).toContain(
      `PATCH /api/v2/connections/${first.values.connectionId}/clients`,
    );
    for (const x of exchanges.filter(
      (e) =>
        e.method === "PATCH" &&
        new URL(e.url).pathname ===
          `/api/v2/connections/${first.values.connectionId}`,
    ))
      expect(JSON.stringify(x.requestBody)).not.toContain("enabled_clients");
    const spa = emu.store.clients.get(first.values.spaClientId);
    // the SPA is the invitee app by default: named after the product, with its login route
    expect(spa?.name).toBe("ExampleCo Analytics");
    expect(spa?.settings?.initiate_login_uri).toBe(
      "https://guestlist.acme-saas.test/login",
    );
    expect(spa?.callbacks).toEqual([
      "https://guestlist.acme-saas.test",
      "http://localhost:5173",
    ]);
    expect(spa?.settings?.refresh_token).toMatchObject({
      rotation_type: "rotating",
    });
    expect(
      emu.store.roles
        .find((r) => r.name === "Customer admin")
        ?.permissions.sort(),
    ).toEqual([
      "invite:members",
      "read:members",
      "resend:invitations",
      "revoke:members",
    ]);
  });

  test("the BFF's new client gets a Management API token with exactly its scopes", async () => {
    makeFreshTenant();
    const { values } = await run();
    const claims = await token({
      grant_type: "client_credentials",
      client_id: values.bffClientId,
      client_secret: values.bffClientSecret,
      audience: config.managementAudience,
    });
    expect(String(claims.scope).split(" ").sort()).toEqual(
      [...BFF_SCOPES].sort(),
    );
    // the Universal Login experience decides what the invitee's tickets do afterwards
    expect(String(claims.scope).split(" ")).toContain("read:prompts");
  });

  test("tokens minted after set-up carry the tenant claim the deployed Action adds", async () => {
    const before = await token({ email: "admin@acme.test" });
    expect(before[CLAIM]).toBeUndefined(); // the seed's claim name differs from the configured one
    await run();
    const after = await token({ email: "admin@acme.test" });
    expect(after[CLAIM]).toBe("acme");
    expect(
      (await token({ email: "support@exampleco.test" }))[CLAIM],
    ).toBeUndefined();
  });

  test("on the seeded local tenant it fills the gaps and keeps what is there", async () => {
    const first = await run();
    expect(actions(first)).toMatchObject({
      'Management API grant of "Guestlist BFF"': "unchanged", // the seed grants exactly these scopes
      'role "Customer admin"': "unchanged",
      'database connection "Username-Password-Authentication"': "unchanged",
      'post-login Action "guestlist-tenant-claim"': "created",
    });
    expect(first.values.spaClientId).toBe("guestlist-spa");
    expect(emu.store.clients.get("guestlist-spa")?.callbacks).toContain(
      "http://localhost:3000",
    ); // kept
    expect(
      (await run()).changes.filter((c) => c.action !== "unchanged"),
    ).toEqual([]);
  });

  test("the invitee app can be another client, with its own login URL; both get the connection", async () => {
    makeFreshTenant();
    const app = await run(); // creates the SPA
    const template = emu.store.clients.get(app.values.spaClientId);
    if (!template) throw new Error("no SPA");
    emu.store.clients.create({
      ...structuredClone(template),
      client_id: "product-app",
      name: "Legacy name",
      settings: {},
    });
    const d = desiredTenant({
      managementAudience: config.managementAudience,
      publicUrl: config.publicUrl,
      tenantClaim: CLAIM,
      inviteeAppClientId: "product-app",
      inviteeAppLoginUrl: "https://analytics.acme-saas.test/sign-in",
      productName: "Acme Analytics",
    });
    const first = await run(d);
    expect(actions(first)).toMatchObject({
      'invitee application "Acme Analytics"': "updated",
      'database connection "Username-Password-Authentication"': "updated",
    });
    const product = emu.store.clients.get("product-app");
    expect(product?.name).toBe("Acme Analytics");
    expect(product?.settings?.initiate_login_uri).toBe(
      "https://analytics.acme-saas.test/sign-in",
    );
    expect([...emu.store.connection.enabled_clients].sort()).toEqual(
      [app.values.spaClientId, "product-app"].sort(),
    );
    expect(
      (await run(d)).changes.filter((c) => c.action !== "unchanged"),
    ).toEqual([]);
  });

  test("an http login URL: skipped with a warning on localhost, refused before any change elsewhere", async () => {
    makeFreshTenant();
    const local = desiredTenant({
      managementAudience: config.managementAudience,
      publicUrl: "http://localhost:3000",
      tenantClaim: CLAIM,
    });
    const result = await run(local);
    const skipped = result.changes.find((c) => c.action === "skipped");
    expect(skipped?.detail).toContain("(initiate_login_uri) to be https");
    expect(skipped?.detail).toContain("http://localhost:3000/login");
    const spa = emu.store.clients.get(result.values.spaClientId);
    expect(spa?.name).toBe("ExampleCo Analytics");
    expect(spa?.settings?.initiate_login_uri ?? "").toBe("");

    makeFreshTenant();
    exchanges.length = 0;
    const remote = desiredTenant({
      managementAudience: config.managementAudience,
      publicUrl: "http://guestlist.acme-saas.test",
      tenantClaim: CLAIM,
    });
    await expect(run(remote)).rejects.toThrow(
      /initiate_login_uri\) to be https.*http:\/\/guestlist\.acme-saas\.test\/login.*PUBLIC_URL/s,
    );
    expect(managementCalls()).toEqual([]);
  });

  test("reports a Classic tenant's experience too", async () => {
    emu.store.tenant.updatePrompts((p) => {
      p.universal_login_experience = "classic";
    });
    const result = await run();
    expect(result.universalLoginExperience).toBe("classic");
    expect(result.notes.join("\n")).toContain(
      "Universal Login experience: classic",
    );
  });

  test.skipIf(!hasSpec)(
    "every Management API exchange conforms to the official spec",
    async () => {
      makeFreshTenant();
      await run();
      // drift that the next run repairs with PATCHes
      const { store } = emu;
      const bff = store.clients.find((c) => c.name === "Guestlist BFF");
      const grant = store.grants.list().find((g) => g.client === bff);
      if (grant)
        store.grants.setScope(grant, [...grant.grant.scope, "read:stats"]);
      const spa = store.clients.find((c) => c.name === "ExampleCo Analytics");
      if (spa)
        store.clients.update(spa.client_id, (c) => {
          c.web_origins = [];
        });
      store.apis.update(desired.api.identifier, (a) => {
        a.enforce_policies = false;
      });
      const action = store.actions.list()[0];
      if (action)
        store.actions.update(action.id, (a) => {
          a.code = "exports.onExecutePostLogin = async () => {};";
        });
      expect(
        (await run()).changes.filter((c) => c.action === "updated"),
      ).toHaveLength(4);
      const spec = new SpecChecker(specDir, OPERATIONS);
      const calls = exchanges.filter((x) =>
        new URL(x.url).pathname.includes("/api/v2/"),
      );
      expect(calls.flatMap((x) => spec.problems(x))).toEqual([]);
      expect(OPERATIONS.filter((id) => !spec.covered.has(id))).toEqual([]);
    },
  );

  test("prints the .env values, with the secret only when asked", async () => {
    makeFreshTenant();
    const result = await run();
    const hidden = envLines(config, result, false).join("\n");
    expect(hidden).toContain(`AUTH0_CLIENT_ID=${result.values.bffClientId}`);
    expect(hidden).toContain(
      `VITE_AUTH0_CLIENT_ID=${result.values.spaClientId}`,
    );
    expect(hidden).toContain("AUTH0_CONNECTION_ID=con_GuestlistLocal01");
    expect(hidden).not.toContain(result.values.bffClientSecret ?? "no secret");
    expect(envLines(config, result, true).join("\n")).toContain(
      `AUTH0_CLIENT_SECRET=${result.values.bffClientSecret ?? "?"}`,
    );
  });
});
