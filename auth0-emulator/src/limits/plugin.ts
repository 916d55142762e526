// PLACEHOLDER (owned by the Management API engineer): rate limits, faults and request log hooks.
import type { FastifyPluginAsync } from "fastify";
import type { Store } from "../store.ts";

export interface LimitsPluginOptions {
  store: Store;
}

// eslint-disable-next-line @typescript-eslint/require-await
export const limitsPlugin: FastifyPluginAsync<LimitsPluginOptions> = async () => {};
