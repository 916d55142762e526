// The OIDC side of the tenant: discovery, /authorize + login page, /oauth/token, logout, userinfo.
import type { FastifyPluginCallback } from "fastify";
import type { Keys } from "../keys.ts";
import type { Store } from "../store/index.ts";
import { registerAuthorize } from "./authorize.ts";
import { registerDiscovery } from "./discovery.ts";
import { registerLogin } from "./login.ts";
import { registerLogout } from "./logout.ts";
import { OidcMemory } from "./memory.ts";
import { registerToken } from "./token.ts";
import { registerUserinfo } from "./userinfo.ts";

export interface OidcRoutesOptions {
  store: Store;
  keys: Keys;
  baseUrl: string;
}

export const oidcRoutes: FastifyPluginCallback<OidcRoutesOptions> = (
  app,
  { store, keys, baseUrl },
  done,
) => {
  const ctx = { store, keys, baseUrl };
  const memory = new OidcMemory();
  store.onReset(() => memory.clear());
  registerDiscovery(app, ctx);
  registerAuthorize(app, ctx, memory);
  registerLogin(app, ctx, memory);
  registerToken(app, ctx, memory);
  registerLogout(app, ctx, memory);
  registerUserinfo(app, ctx);
  done();
};
