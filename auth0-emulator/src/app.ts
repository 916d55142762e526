// buildEmulator(): the whole emulated tenant as one Fastify app. Each area is a plugin with its
// dependencies passed as options; this file only composes them.
import cors from "@fastify/cors";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { controlGuard } from "./control/guard.ts";
import { controlPlugin } from "./control/plugin.ts";
import { dbConnectionsPlugin } from "./dbconnections/plugin.ts";
import type { Keys } from "./keys.ts";
import { limitsPlugin } from "./limits/plugin.ts";
import { managementPlugin } from "./management/plugin.ts";
import { allowedWebOrigins } from "./oidc/clients.ts";
import { oidcPlugin } from "./oidc/plugin.ts";
import type { Store } from "./store/index.ts";
import { ticketsPlugin } from "./tickets/plugin.ts";

export interface EmulatorOptions {
  store: Store;
  keys: Keys;
  /** Public base URL, e.g. http://localhost:4010 (no trailing slash). `iss` is this plus "/". */
  baseUrl: string;
  logger?: boolean;
}

export function buildEmulator(opts: EmulatorOptions): FastifyInstance {
  const { store } = opts;
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const keys = opts.keys.forIssuer(`${baseUrl}/`);
  const app = Fastify({
    logger: opts.logger
      ? {
          level: "info",
          redact: [
            "req.headers.authorization",
            "req.headers.cookie",
            "res.headers['set-cookie']",
          ],
        }
      : false,
  });

  app.addHook("onRequest", controlGuard(store, baseUrl));
  // Rate limits, faults and the request log see every request, so they come first.
  void app.register(limitsPlugin, { store });
  void app.register(cors, {
    // Like Auth0: cross-origin calls (the SPA's /oauth/token, /userinfo) only from "Allowed Web Origins".
    origin: (origin, cb) =>
      cb(null, origin !== undefined && allowedWebOrigins(store).has(origin)),
    allowedHeaders: ["Auth0-Client", "Content-Type", "Authorization"],
    methods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
    credentials: true,
    maxAge: 600,
  });
  // The one form-body parser: /oauth/token, /u/login, ticket pages, /dbconnections, /api/v2.
  void app.register(formbody);

  void app.register(oidcPlugin, { store, keys, baseUrl });
  void app.register(controlPlugin, { store, keys, baseUrl });
  void app.register(managementPlugin, {
    store,
    baseUrl,
    keys,
    prefix: "/api/v2",
  });
  void app.register(ticketsPlugin, { store, baseUrl });
  void app.register(dbConnectionsPlugin, { store });
  return app;
}
