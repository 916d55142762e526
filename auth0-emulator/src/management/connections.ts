// GET /connections/{id} (spec operation get_connections_by_id). `options` only with the
// read:connections_options scope (auth0-facts.md §7, migrate-connection-options-scope).
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmuConnection, Store } from "../store.ts";
import { hasScope } from "./auth.ts";
import { MgmtError } from "./errors.ts";
import { project } from "./user-view.ts";

/** The connection with this id, or Auth0's 404. */
export function findConnection(store: Store, id: string): EmuConnection {
  const c = store.state.connections.find((x) => x.id === id);
  if (!c)
    throw new MgmtError(
      404,
      "The connection does not exist.",
      "inexistent_connection",
    );
  return c;
}

/** A connection as the API shows it; `options` only with read:connections_options. */
export function connectionView(
  c: EmuConnection,
  req: FastifyRequest,
  withClients: boolean,
): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    display_name: c.name,
    strategy: c.strategy,
    ...(hasScope(req, "read:connections_options")
      ? { options: structuredClone(c.options) }
      : {}),
    realms: [c.name],
    is_domain_connection: false,
    // deprecated in responses; the list operation's schema no longer has it
    ...(withClients ? { enabled_clients: [...c.enabled_clients] } : {}),
  };
}

export function connectionsRoutes(app: FastifyInstance, store: Store): void {
  app.get<{
    Params: { id: string };
    Querystring: { fields?: string; include_fields?: string };
  }>(
    "/connections/:id",
    { config: { scopes: ["read:connections"] } },
    (req) => {
      const view = connectionView(
        findConnection(store, req.params.id),
        req,
        true,
      );
      return project(view, req.query.fields, req.query.include_fields);
    },
  );
}
