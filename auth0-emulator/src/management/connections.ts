// GET /connections/{id} (spec operation get_connections_by_id). `options` only with the
// read:connections_options scope (auth0-facts.md §7, migrate-connection-options-scope).
import type { FastifyInstance } from "fastify";
import type { Store } from "../store.ts";
import { hasScope } from "./auth.ts";
import { MgmtError } from "./errors.ts";
import { project } from "./user-view.ts";

export function connectionsRoutes(app: FastifyInstance, store: Store): void {
  app.get<{
    Params: { id: string };
    Querystring: { fields?: string; include_fields?: string };
  }>(
    "/connections/:id",
    { config: { scopes: ["read:connections"] } },
    (req) => {
      const c = store.state.connections.find((x) => x.id === req.params.id);
      if (!c)
        throw new MgmtError(
          404,
          "The connection does not exist.",
          "inexistent_connection",
        );
      const view: Record<string, unknown> = {
        id: c.id,
        name: c.name,
        display_name: c.name,
        strategy: c.strategy,
        ...(hasScope(req, "read:connections_options")
          ? { options: structuredClone(c.options) }
          : {}),
        realms: [c.name],
        is_domain_connection: false,
        enabled_clients: [...c.enabled_clients],
      };
      return project(view, req.query.fields, req.query.include_fields);
    },
  );
}
