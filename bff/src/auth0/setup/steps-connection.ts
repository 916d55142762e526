// The database connection: sign-ups disabled (options.disable_signup) and the SPA enabled on it.
// PATCH replaces `options` entirely, so we read the options and write them back merged
// (auth0-facts.md §7); reading them needs read:connections_options.
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import type { Change } from "./diff.ts";

type Connection = Pick<
  Management.GetConnectionResponseContent,
  "id" | "name" | "options" | "enabled_clients"
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
  spaClientId: string,
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
  // enabled_clients is deprecated in responses; when the tenant still shows it, keep the SPA in it
  if (
    Array.isArray(current.enabled_clients) &&
    !current.enabled_clients.includes(spaClientId)
  ) {
    update.enabled_clients = [...current.enabled_clients, spaClientId];
    details.push("SPA enabled on the connection");
  }
  if (details.length > 0)
    await mgmt.connections.update(current.id ?? "", update);
  changes.push(
    details.length > 0
      ? { item, action: "updated", detail: details.join(", ") }
      : { item, action: "unchanged" },
  );
  return { id: current.id ?? "", name: current.name ?? d.name };
}
