// The OIDC side of the tenant: discovery, /authorize + login page, /oauth/token, logout, userinfo.
import type { FastifyPluginCallback } from "fastify";
import type { Keys } from "../keys.ts";
import type { Store } from "../store/index.ts";
import { authorizeRoutes } from "./authorize.ts";
import { discoveryRoutes } from "./discovery.ts";
import { loginRoutes } from "./login.ts";
import { logoutRoutes } from "./logout.ts";
import { OidcMemory } from "./memory.ts";
import { tokenRoutes } from "./token.ts";
import { userinfoRoutes } from "./userinfo.ts";

export interface OidcPluginOptions {
  store: Store;
  keys: Keys;
  baseUrl: string;
}

export const oidcPlugin: FastifyPluginCallback<OidcPluginOptions> = (
  app,
  { store, keys, baseUrl },
  done,
) => {
  const ctx = { store, keys, baseUrl };
  const memory = new OidcMemory();
  store.onReset(() => memory.clear());
  discoveryRoutes(app, ctx);
  authorizeRoutes(app, ctx, memory);
  loginRoutes(app, ctx, memory);
  tokenRoutes(app, ctx, memory);
  logoutRoutes(app, ctx, memory);
  userinfoRoutes(app, ctx);
  done();
};
