// The database connection: sign-ups disabled (options.disable_signup) and the SPA (and the invitee
// app) enabled on it. PATCH replaces `options` entirely, so we read the options and write them back
// merged (Auth0 Management API: PATCH /api/v2/connections/{id}); reading them needs read:connections_options. Clients are enabled with
// PATCH /connections/{id}/clients, not the deprecated `enabled_clients` field (Auth0 Management API: PATCH /api/v2/connections/{id}/clients).
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import type { Change } from "./diff.ts";

type Connection = Pick<
  Management.GetConnectionResponseContent,
  "id" | "name" | "options"
>;

async function findConnection(
  mgmt: ManagementClient,
  d: DesiredTenant["connection"],
): Promise<Connection> {
  if (d.id) return mgmt.connections.get(d.id);
  const page = await mgmt.connections.list({
    name: d.name,
    strategy: ["auth0"],
  });
  const found = page.data.find((c) => c.name === d.name);
  if (!found?.id)
    throw new Error(
      `database connection "${d.name}" not found (set AUTH0_CONNECTION_ID or AUTH0_CONNECTION_NAME)`,
    );
  return mgmt.connections.get(found.id);
}

export async function ensureConnection(
  mgmt: ManagementClient,
  d: DesiredTenant["connection"],
  clientIds: string[],
  changes: Change[],
): Promise<{ id: string; name: string }> {
  const current = await findConnection(mgmt, d);
  const item = `database connection "${current.name ?? d.name}"`;
  if (!current.options)
    throw new Error(
      `${item}: options not visible — grant the set-up client read:connections_options`,
    );
  const update: Management.UpdateConnectionRequestContent = {};
  const details: string[] = [];
  if ((current.options as Record<string, unknown>).disable_signup !== true) {
    update.options = { ...current.options, disable_signup: true };
    details.push("disable_signup: true");
  }
  const id = current.id ?? "";
  const enabled = new Set<string>();
  for await (const c of await mgmt.connections.clients.get(id, { take: 100 }))
    enabled.add(c.client_id);
  const missing = [...new Set(clientIds)].filter((c) => !enabled.has(c));
  // at most 50 clients per PATCH
  for (let i = 0; i < missing.length; i += 50)
    await mgmt.connections.clients.update(
      id,
      missing
        .slice(i, i + 50)
        .map((client_id) => ({ client_id, status: true })),
    );
  if (missing.length > 0)
    details.push(
      `enabled for ${missing.length === 1 ? "client" : "clients"} ${missing.join(", ")}`,
    );
  if (update.options) await mgmt.connections.update(id, update);
  changes.push(
    details.length > 0
      ? { item, action: "updated", detail: details.join(", ") }
      : { item, action: "unchanged" },
  );
  return { id, name: current.name ?? d.name };
}
