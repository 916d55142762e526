// The two applications: the SPA (public client, refresh-token rotation) and the BFF's
// machine-to-machine client with its Management API grant of exactly the scopes it needs.
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import { differingKeys, union, type Change } from "./diff.ts";

export interface AppIds {
  spaClientId: string;
  bffClientId: string;
  /** only known when the client was just created or the token may read client keys */
  bffClientSecret: string | undefined;
}

async function allClients(
  mgmt: ManagementClient,
): Promise<Management.Client[]> {
  const out: Management.Client[] = [];
  for await (const c of await mgmt.clients.list({
    per_page: 100,
    include_totals: true,
  }))
    out.push(c);
  return out;
}

const origin = (url: string) => new URL(url).origin;

function spaSettings(
  d: DesiredTenant["spa"],
  current: Management.Client | undefined,
) {
  return {
    app_type: "spa" as const,
    callbacks: union(current?.callbacks, d.urls),
    allowed_logout_urls: union(current?.allowed_logout_urls, d.urls),
    web_origins: union(current?.web_origins, [...new Set(d.urls.map(origin))]),
    grant_types: ["authorization_code", "refresh_token"],
    token_endpoint_auth_method: "none" as const,
    oidc_conformant: true,
    refresh_token: {
      rotation_type: "rotating" as const,
      expiration_type: "expiring" as const,
      leeway: 0,
      token_lifetime: 2_592_000,
      idle_token_lifetime: 1_296_000,
      infinite_token_lifetime: false,
      infinite_idle_token_lifetime: false,
    },
  };
}

export async function ensureSpa(
  mgmt: ManagementClient,
  d: DesiredTenant["spa"],
  clients: Management.Client[],
  changes: Change[],
): Promise<string> {
  const current = d.clientId
    ? clients.find((c) => c.client_id === d.clientId)
    : (clients.find((c) => c.app_type === "spa" && c.name === d.name) ??
      clients.find(
        (c) =>
          c.app_type === "spa" &&
          c.client_id !== d.notClientId &&
          d.alsoKnownAs.includes(c.name ?? ""),
      ));
  if (d.clientId && !current)
    throw new Error(`SPA application ${d.clientId} not found on the tenant`);
  const item = `SPA application "${current?.name ?? d.name}"`;
  // (its name is not managed here: when it is the invitee app, steps-invitee-app.ts names it)
  const wanted = spaSettings(d, current);
  if (!current) {
    const created = await mgmt.clients.create({ name: d.name, ...wanted });
    changes.push({ item, action: "created" });
    return created.client_id ?? "";
  }
  const keys = differingKeys(current, wanted);
  if (keys.length === 0) changes.push({ item, action: "unchanged" });
  else {
    await mgmt.clients.update(current.client_id ?? "", wanted);
    changes.push({ item, action: "updated", detail: keys.join(", ") });
  }
  return current.client_id ?? "";
}

async function ensureGrant(
  mgmt: ManagementClient,
  d: DesiredTenant,
  clientId: string,
  changes: Change[],
) {
  const item = `Management API grant of "${d.bff.name}"`;
  const page = await mgmt.clientGrants.list({
    client_id: clientId,
    audience: d.managementAudience,
  });
  const grant = page.data.find(
    (g) => g.audience === d.managementAudience && g.client_id === clientId,
  );
  if (!grant) {
    await mgmt.clientGrants.create({
      client_id: clientId,
      audience: d.managementAudience,
      scope: d.bff.scopes,
    });
    changes.push({ item, action: "created", detail: d.bff.scopes.join(" ") });
    return;
  }
  if (
    differingKeys({ scope: grant.scope ?? [] }, { scope: d.bff.scopes })
      .length === 0
  ) {
    changes.push({ item, action: "unchanged" });
    return;
  }
  await mgmt.clientGrants.update(grant.id ?? "", { scope: d.bff.scopes });
  changes.push({
    item,
    action: "updated",
    detail: `scopes now exactly: ${d.bff.scopes.join(" ")}`,
  });
}

export async function ensureApps(
  mgmt: ManagementClient,
  d: DesiredTenant,
  changes: Change[],
): Promise<AppIds> {
  const clients = await allClients(mgmt);
  const spaClientId = await ensureSpa(mgmt, d.spa, clients, changes);
  const item = `M2M application "${d.bff.name}"`;
  const wanted = {
    app_type: "non_interactive" as const,
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_post" as const,
  };
  let current = clients.find(
    (c) => c.app_type === "non_interactive" && c.name === d.bff.name,
  );
  let secret = current?.client_secret;
  if (!current) {
    current = await mgmt.clients.create({ name: d.bff.name, ...wanted });
    secret = current.client_secret;
    changes.push({ item, action: "created" });
  } else {
    const keys = differingKeys(current, wanted);
    if (keys.length > 0)
      await mgmt.clients.update(current.client_id ?? "", wanted);
    changes.push(
      keys.length > 0
        ? { item, action: "updated", detail: keys.join(", ") }
        : { item, action: "unchanged" },
    );
  }
  const bffClientId = current.client_id ?? "";
  await ensureGrant(mgmt, d, bffClientId, changes);
  return { spaClientId, bffClientId, bffClientSecret: secret };
}
