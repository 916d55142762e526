// GET /connections/{id} (spec operation get_connections_by_id). `options` only with the
// read:connections_options scope (auth0-facts.md §7, migrate-connection-options-scope).
// GET/PATCH /connections/{id}/clients (get_connection_clients, patch_clients): the replacement of
// the deprecated `enabled_clients` field, which stays consistent with it (auth0-facts.md §14).
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmuConnection, Store } from "../store/index.ts";
import { hasScope } from "./auth.ts";
import { MgmtError, invalidBody } from "./errors.ts";
import { project } from "./user-view.ts";

/** The connection with this id, or Auth0's 404. */
export function findConnection(store: Store, id: string): EmuConnection {
  const c = store.connections.get(id);
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

/** UpdateEnabledClientConnectionsRequestContent: "the limit per PATCH request is 50 clients". */
export const MAX_ENABLED_CLIENTS_PER_PATCH = 50;

function parseEnabledClients(
  store: Store,
  body: unknown,
): { client_id: string; status: boolean }[] {
  if (!Array.isArray(body))
    throw invalidBody(
      `Payload validation error: 'Expected type array but found type ${body === null ? "null" : typeof body}'.`,
    );
  if (body.length === 0)
    throw invalidBody(
      "Payload validation error: 'Array is too short (0), minimum 1'.",
    );
  if (body.length > MAX_ENABLED_CLIENTS_PER_PATCH)
    throw invalidBody(
      `Payload validation error: 'Array is too long (${String(body.length)}), maximum ${String(MAX_ENABLED_CLIENTS_PER_PATCH)}'.`,
    );
  return body.map((item: unknown, i) => {
    const o = (item ?? {}) as Record<string, unknown>;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw invalidBody(
        `Payload validation error: 'Expected type object but found type ${typeof item}' on property [${String(i)}].`,
      );
    const extra = Object.keys(o).find(
      (k) => k !== "client_id" && k !== "status",
    );
    if (extra)
      throw invalidBody(
        `Payload validation error: 'Additional properties not allowed: ${extra}' on property [${String(i)}].`,
      );
    if (typeof o.client_id !== "string")
      throw invalidBody(
        `Payload validation error: 'Missing required property: client_id' on property [${String(i)}].`,
      );
    if (typeof o.status !== "boolean")
      throw invalidBody(
        `Payload validation error: 'Missing required property: status' on property [${String(i)}].`,
      );
    if (!store.clients.get(o.client_id))
      throw invalidBody(`The client ${o.client_id} does not exist.`);
    return { client_id: o.client_id, status: o.status };
  });
}

export function connectionClientsRoutes(
  app: FastifyInstance,
  store: Store,
): void {
  app.get<{
    Params: { id: string };
    Querystring: { take?: string; from?: string };
  }>(
    "/connections/:id/clients",
    { config: { scopes: ["read:connections"] } },
    (req) => {
      const c = findConnection(store, req.params.id);
      const take = Number(req.query.take ?? 50);
      if (!Number.isInteger(take) || take < 1 || take > 1000)
        throw invalidBody(
          "Query validation error: 'take' must be an integer between 1 and 1000.",
        );
      const from = req.query.from ? Number(req.query.from) : 0;
      if (!Number.isInteger(from) || from < 0)
        throw invalidBody("Query validation error: invalid 'from' token.");
      const slice = c.enabled_clients.slice(from, from + take);
      const next = from + take;
      return {
        clients: slice.map((client_id) => ({ client_id })),
        ...(next < c.enabled_clients.length ? { next: String(next) } : {}),
      };
    },
  );

  app.patch<{ Params: { id: string } }>(
    "/connections/:id/clients",
    { config: { scopes: ["update:connections"] } },
    async (req, reply) => {
      const c = findConnection(store, req.params.id);
      const changes = parseEnabledClients(store, req.body);
      const enabled = new Set(c.enabled_clients);
      for (const { client_id, status } of changes) {
        if (status) enabled.add(client_id);
        else enabled.delete(client_id);
      }
      store.connections.update(c.id, (conn) => {
        conn.enabled_clients = [...enabled];
      });
      return reply.code(204).send();
    },
  );
}
