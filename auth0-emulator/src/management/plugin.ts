// PLACEHOLDER (owned by the Management API engineer): the /api/v2 subset.
import type { FastifyPluginAsync } from "fastify";
import type { Keys } from "../keys.ts";
import type { Store } from "../store.ts";

export interface ManagementApiOptions {
  store: Store;
  baseUrl: string;
  keys: Keys;
}

// eslint-disable-next-line @typescript-eslint/require-await
export const managementApi: FastifyPluginAsync<ManagementApiOptions> = async () => {};
