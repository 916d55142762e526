// PLACEHOLDER (owned by the Management API engineer): POST /dbconnections/change_password.
import type { FastifyPluginAsync } from "fastify";
import type { Store } from "../store.ts";

export interface DbConnectionsOptions {
  store: Store;
}

// eslint-disable-next-line @typescript-eslint/require-await
export const dbConnections: FastifyPluginAsync<DbConnectionsOptions> = async () => {};
