// The Guestlist API (RBAC on, permissions in the access token, the permissions of docs/architecture.md) and
// the roles with their permissions. Extra scopes or role permissions someone added are kept.
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import { differingKeys, type Change } from "./diff.ts";

function apiSettings(
  d: DesiredTenant["api"],
  current: Management.ResourceServer | undefined,
) {
  const scopes = new Map((current?.scopes ?? []).map((s) => [s.value, s]));
  for (const p of d.permissions)
    scopes.set(p.value, { value: p.value, description: p.description });
  return {
    name: current?.name ?? d.name,
    scopes: [...scopes.values()],
    enforce_policies: true,
    token_dialect: "access_token_authz" as const,
    // the SPA asks for offline_access (refresh tokens)
    allow_offline_access: true,
    skip_consent_for_verifiable_first_party_clients: true,
  };
}

export async function ensureApi(
  mgmt: ManagementClient,
  d: DesiredTenant["api"],
  changes: Change[],
): Promise<void> {
  const item = `API "${d.identifier}"`;
  const page = await mgmt.resourceServers.list({
    identifiers: [d.identifier],
    include_totals: true,
  });
  const current = page.data.find((r) => r.identifier === d.identifier);
  const wanted = apiSettings(d, current);
  if (!current) {
    await mgmt.resourceServers.create({ identifier: d.identifier, ...wanted });
    changes.push({ item, action: "created" });
    return;
  }
  const keys = differingKeys(current as Record<string, unknown>, wanted);
  if (keys.length === 0) {
    changes.push({ item, action: "unchanged" });
    return;
  }
  await mgmt.resourceServers.update(current.id ?? d.identifier, wanted);
  changes.push({ item, action: "updated", detail: keys.join(", ") });
}

async function ensureRole(
  mgmt: ManagementClient,
  apiIdentifier: string,
  role: DesiredTenant["roles"][number],
  changes: Change[],
): Promise<void> {
  const item = `role "${role.name}"`;
  const found = (
    await mgmt.roles.list({ name_filter: role.name, include_totals: true })
  ).data;
  let current = found.find((r) => r.name === role.name);
  let action: Change["action"] = "unchanged";
  const details: string[] = [];
  if (!current) {
    current = await mgmt.roles.create({
      name: role.name,
      description: role.description,
    });
    action = "created";
  }
  const id = current.id ?? "";
  const have = new Set<string>();
  for await (const p of await mgmt.roles.permissions.list(id, {
    per_page: 100,
    include_totals: true,
  }))
    if (p.resource_server_identifier === apiIdentifier && p.permission_name)
      have.add(p.permission_name);
  const missing = role.permissions.filter((p) => !have.has(p));
  if (missing.length > 0) {
    await mgmt.roles.permissions.add(id, {
      permissions: missing.map((permission_name) => ({
        resource_server_identifier: apiIdentifier,
        permission_name,
      })),
    });
    if (action === "unchanged") action = "updated";
    details.push(`added ${missing.join(" ")}`);
  }
  changes.push({
    item,
    action,
    ...(details.length > 0 ? { detail: details.join("; ") } : {}),
  });
}

export async function ensureRoles(
  mgmt: ManagementClient,
  d: DesiredTenant,
  changes: Change[],
): Promise<void> {
  for (const role of d.roles)
    await ensureRole(mgmt, d.api.identifier, role, changes);
}
