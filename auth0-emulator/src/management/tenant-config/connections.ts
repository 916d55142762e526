// Connections for the set-up: GET /connections (`name`, `strategy`; offset form, as for the
// SDK's include_totals=true) and PATCH /connections/{id}. As on Auth0, PATCH replaces `options`
// entirely (callers read, merge, write) and needs update:connections_options to touch it;
// `options` is shown only with read:connections_options (auth0-facts.md §7).
import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/index.ts";
import { hasScope } from "../auth.ts";
import { connectionView, findConnection } from "../connections.ts";
import { MgmtError } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { offsetPage, type PageQuery } from "./paging.ts";
import { updateConnectionSchema } from "./schemas.ts";

const updateBody = payloadValidator(updateConnectionSchema);

export function connectionUpdateRoutes(
  app: FastifyInstance,
  store: Store,
): void {
  app.get<{
    Querystring: PageQuery & {
      name?: string;
      strategy?: string;
      from?: string;
      take?: string;
    };
  }>("/connections", { config: { scopes: ["read:connections"] } }, (req) => {
    const { name, strategy } = req.query;
    const list = store.connections
      .list()
      .filter((c) => !name || c.name === name)
      .filter((c) => !strategy || c.strategy === strategy)
      .map((c) => connectionView(c, req, false));
    return offsetPage(list, req.query, "connections");
  });

  app.patch<{ Params: { id: string } }>(
    "/connections/:id",
    { config: { scopes: ["update:connections"] } },
    (req) => {
      const c = findConnection(store, req.params.id);
      const body = updateBody.check<{
        options?: Record<string, unknown> | null;
        enabled_clients?: string[] | null;
      }>(req.body);
      if (
        body.options !== undefined &&
        !hasScope(req, "update:connections_options")
      )
        throw new MgmtError(
          403,
          "Insufficient scope, expected any of: update:connections_options",
          "insufficient_scope",
        );
      store.connections.update(c.id, (conn) => {
        if (body.options !== undefined) conn.options = body.options ?? {};
        if (body.enabled_clients !== undefined && body.enabled_clients !== null)
          conn.enabled_clients = body.enabled_clients;
      });
      return connectionView(c, req, true);
    },
  );
}
