// Tenant configuration (what `pnpm auth0:setup` manages): applications, APIs, roles, client
// grants, Actions and their bindings, connection listing and updates. Registered by
// ../plugin.ts inside the /api/v2 scope, so bearer auth, scopes and error bodies apply.
import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/index.ts";
import { actionsRoutes } from "./actions.ts";
import { bindingsRoutes } from "./bindings.ts";
import { clientGrantsRoutes } from "./client-grants.ts";
import { clientsRoutes } from "./clients.ts";
import { connectionUpdateRoutes } from "./connections.ts";
import { resourceServersRoutes } from "./resource-servers.ts";
import { rolesRoutes } from "./roles.ts";

/** `base` is the emulator's base URL; its Management API audience is `<base>/api/v2/`. */
export function tenantConfigRoutes(
  app: FastifyInstance,
  store: Store,
  base: string,
): void {
  const managementAudience = `${base}/api/v2/`;
  clientsRoutes(app, store);
  resourceServersRoutes(app, store, managementAudience);
  rolesRoutes(app, store);
  clientGrantsRoutes(app, store, managementAudience);
  actionsRoutes(app, store);
  bindingsRoutes(app, store);
  connectionUpdateRoutes(app, store);
}
