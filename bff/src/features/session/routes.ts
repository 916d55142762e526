// GET /api/me: the signed-in user, their tenant and permissions.
import type { Feature } from "../../feature.ts";
import { principalOf, signedIn } from "../../auth.ts";
import { Me } from "./contract.ts";

export const sessionRoutes: Feature = (app, { db }) => {
  app.get(
    "/me",
    { config: signedIn, schema: { response: { 200: Me } } },
    async (request) => {
      const p = principalOf(request);
      const tenant = p.tenantId
        ? ((
            await db.query<{ id: string; name: string }>(
              "select id, name from tenants where id = $1",
              [p.tenantId],
            )
          ).rows[0] ?? null)
        : null;
      // Access tokens rarely carry email/name; the members mirror usually knows them.
      const known =
        p.email && p.name
          ? undefined
          : (
              await db.query<{ email: string; name: string | null }>(
                "select email, name from members where user_id = $1",
                [p.sub],
              )
            ).rows[0];
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
