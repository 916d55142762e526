// The tenant-configuration endpoints (what `pnpm auth0:setup` calls), through the real `auth0` SDK,
// with every request and response validated against the official spec (like contract.test.ts).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ManagementClient, ManagementError } from "auth0";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../index.ts";
import { capturingFetch } from "../../test/contract-capture.ts";
import { SpecChecker, type Exchange } from "../../test/contract-spec.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const specDir =
  process.env.AUTH0_SPEC_DIR ?? resolve(repoRoot, "..", "shared", "auth0");
const hasSpec = existsSync(resolve(specDir, "management-api-oas.json"));
if (!hasSpec)
  console.warn(
    `[tenant-config] skipped: Auth0 spec folder not found at ${specDir}`,
  );

const OPERATIONS = [
  "get_clients",
  "get_clients_by_id",
  "post_clients",
  "patch_clients_by_id",
  "get_resource-servers",
  "post_resource-servers",
  "patch_resource-servers_by_id",
  "get_roles",
  "post_roles",
  "patch_roles_by_id",
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
  "patch_connections_by_id",
];
const API = "https://guestlist.example/api";

describe.skipIf(!hasSpec)(
  "tenant configuration endpoints (spec-checked)",
  () => {
    const exchanges: Exchange[] = [];
    let spec: SpecChecker;
    let emu: RunningEmulator;
    let mgmt: ManagementClient;

    const client = (clientId: string, clientSecret: string) =>
      new ManagementClient({
        domain: "tenant.test",
        audience: `${emu.url}/api/v2/`,
        clientId,
        clientSecret,
        fetch: capturingFetch(exchanges, {
          from: "https://tenant.test",
          to: emu.url,
        }),
        maxRetries: 0,
      });

    beforeAll(async () => {
      spec = new SpecChecker(specDir, OPERATIONS);
      emu = await startEmulator({ bcryptRounds: 4 });
      mgmt = client("guestlist-setup", "guestlist-setup-local-secret");
    });
    afterAll(async () => {
      await emu.close();
    });

    function expectConforming(): void {
      const api = exchanges.filter((x) =>
        new URL(x.url).pathname.includes("/api/v2/"),
      );
      exchanges.length = 0;
      expect(api.flatMap((x) => spec.problems(x))).toEqual([]);
    }

    test("applications: list by type, create (secret in the 201), read, update", async () => {
      const page = await mgmt.clients.list({ app_type: "spa" });
      expect(page.data.map((c) => c.client_id)).toEqual(["guestlist-spa"]);
      const created = await mgmt.clients.create({
        name: "Spec M2M",
        app_type: "non_interactive",
        grant_types: ["client_credentials"],
      });
      expect(created.client_secret).toMatch(/^[A-Za-z0-9]{64}$/);
      const id = created.client_id ?? "";
      const updated = await mgmt.clients.update(id, {
        callbacks: ["https://app.test"],
        refresh_token: {
          rotation_type: "rotating",
          expiration_type: "expiring",
        },
      });
      expect(updated.refresh_token).toMatchObject({
        rotation_type: "rotating",
      });
      expect((await mgmt.clients.get(id)).callbacks).toEqual([
        "https://app.test",
      ]);
      expectConforming();
    });

    test("APIs, roles and role permissions", async () => {
      const list = await mgmt.resourceServers.list({ identifiers: [API] });
      const api = list.data[0];
      expect(api?.identifier).toBe(API);
      await mgmt.resourceServers.update(api?.id ?? "", {
        scopes: [
          ...(api?.scopes ?? []),
          { value: "read:reports", description: "Read reports" },
        ],
        allow_offline_access: true,
      });
      await mgmt.resourceServers.create({
        identifier: "https://other.test/api",
        name: "Other",
      });
      const dup = await mgmt.resourceServers
        .create({ identifier: API })
        .catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(ManagementError);
      expect((dup as ManagementError).statusCode).toBe(409);

      const role = await mgmt.roles.create({
        name: "Reporter",
        description: "Reads reports",
      });
      await mgmt.roles.update(role.id ?? "", {
        description: "Reads all reports",
      });
      expect(
        (await mgmt.roles.list({ name_filter: "report" })).data.map(
          (r) => r.name,
        ),
      ).toEqual(["Reporter"]);
      await mgmt.roles.permissions.add(role.id ?? "", {
        permissions: [
          { resource_server_identifier: API, permission_name: "read:reports" },
        ],
      });
      const perms = await mgmt.roles.permissions.list(role.id ?? "");
      expect(perms.data).toEqual([
        expect.objectContaining({
          permission_name: "read:reports",
          resource_server_identifier: API,
          description: "Read reports",
        }),
      ]);
      const unknown = await mgmt.roles.permissions
        .add(role.id ?? "", {
          permissions: [
            { resource_server_identifier: API, permission_name: "nope" },
          ],
        })
        .catch((e: unknown) => e);
      expect((unknown as ManagementError).statusCode).toBe(400);
      expectConforming();
    });

    test("client grants drive the client-credentials flow", async () => {
      const m2m = await mgmt.clients.create({
        name: "Granted",
        app_type: "non_interactive",
      });
      const grant = await mgmt.clientGrants.create({
        client_id: m2m.client_id ?? "",
        audience: `${emu.url}/api/v2/`,
        scope: ["read:users"],
      });
      const found = await mgmt.clientGrants.list({
        client_id: m2m.client_id ?? "",
        audience: `${emu.url}/api/v2/`,
      });
      expect(found.data.map((g) => g.id)).toEqual([grant.id]);
      await mgmt.clientGrants.update(grant.id ?? "", {
        scope: ["read:users", "create:users"],
      });
      expectConforming();
      const res = await fetch(`${emu.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: m2m.client_id,
          client_secret: m2m.client_secret,
          audience: `${emu.url}/api/v2/`,
        }),
      });
      const body = (await res.json()) as { access_token: string };
      expect(decodeJwt(body.access_token).scope).toBe(
        "read:users create:users",
      );
    });

    test("a deployed, bound post-login Action decides the token's claims", async () => {
      const code =
        "exports.onExecutePostLogin = async (event, api) => { api.accessToken.setCustomClaim('https://t.test/who', event.user.email); };";
      const action = await mgmt.actions.create({
        name: "who",
        supported_triggers: [{ id: "post-login", version: "v3" }],
        code,
        runtime: "node22",
      });
      const unbuilt = await mgmt.actions.triggers.bindings
        .updateMany("post-login", {
          bindings: [{ ref: { type: "action_id", value: action.id ?? "" } }],
        })
        .catch((e: unknown) => e);
      expect((unbuilt as ManagementError).statusCode).toBe(400);
      await mgmt.actions.deploy(action.id ?? "");
      await mgmt.actions.update(action.id ?? "", { code: `${code}\n` });
      expect(
        (await mgmt.actions.get(action.id ?? "")).all_changes_deployed,
      ).toBe(false);
      await mgmt.actions.triggers.bindings.updateMany("post-login", {
        bindings: [
          { ref: { type: "action_name", value: "who" }, display_name: "who" },
        ],
      });
      const bound = await mgmt.actions.triggers.bindings.list("post-login");
      expect(bound.data.map((b) => b.action?.name)).toEqual(["who"]);
      expect(
        (await mgmt.actions.list({ actionName: "who" })).data,
      ).toHaveLength(1);
      expectConforming();

      const res = await fetch(`${emu.url}/__emulator/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@acme.test" }),
      });
      const claims = decodeJwt(
        ((await res.json()) as { access_token: string }).access_token,
      );
      expect(claims["https://t.test/who"]).toBe("admin@acme.test");
      // the repository's Action is no longer bound, so the tenant claim is gone
      expect(claims["https://guestlist.example/tenant"]).toBeUndefined();
    });

    test("connections: list by name; PATCH replaces options and needs update:connections_options", async () => {
      const list = await mgmt.connections.list({
        name: "Username-Password-Authentication",
      });
      const con = list.data[0];
      expect(con?.options).toMatchObject({
        disable_signup: true,
        passwordPolicy: "good",
      });
      const updated = await mgmt.connections.update(con?.id ?? "", {
        options: { disable_signup: false },
      });
      expect(updated.options).toEqual({ disable_signup: false });
      const bff = client("guestlist-bff", "guestlist-bff-local-secret");
      const refused = await bff.connections
        .update(con?.id ?? "", { options: {} })
        .catch((e: unknown) => e);
      expect((refused as ManagementError).statusCode).toBe(403);
      expectConforming();
    });

    test("every operation was exercised", () => {
      expect(OPERATIONS.filter((id) => !spec.covered.has(id))).toEqual([]);
    });
  },
);
