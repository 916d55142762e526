// GET /api/me: the signed-in user, their tenant and permissions.
import { principalOf, signedIn } from "../../auth.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import { Me } from "./contract.ts";
import { findMirroredProfile, findTenantName } from "./repository.ts";

export interface SessionDeps {
  db: Db;
}

export const sessionRoutes: Feature<SessionDeps> = (app, { db }) => {
  app.get(
    "/me",
    { config: signedIn, schema: { response: { 200: Me } } },
    async (request) => {
      const p = principalOf(request);
      const tenant = p.tenantId ? await findTenantName(db, p.tenantId) : null;
      // Access tokens rarely carry email/name; the members mirror usually knows them.
      const known =
        p.email && p.name ? undefined : await findMirroredProfile(db, p.sub);
      return {
        user: {
          sub: p.sub,
          email: p.email ?? known?.email ?? null,
          name: p.name ?? known?.name ?? null,
        },
        tenant,
        permissions: p.permissions,
      };
    },
  );
  return Promise.resolve();
};
