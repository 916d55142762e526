// PLACEHOLDER (owned by the Management API engineer): ticket pages (/lo/reset, /u/email-verification).
import type { FastifyPluginAsync } from "fastify";
import type { Store } from "../store.ts";

export interface TicketPagesOptions {
  store: Store;
  baseUrl: string;
}

// eslint-disable-next-line @typescript-eslint/require-await
export const ticketPages: FastifyPluginAsync<TicketPagesOptions> = async () => {};
