// GET /api/me: the signed-in user, their tenant and permissions.
import type { Feature } from "../../app.ts";
import { principalOf, signedIn } from "../../auth.ts";
import { Me } from "./contract.ts";

export const sessionRoutes: Feature = (app, { db }) => {
  app.get("/me", { config: signedIn, schema: { response: { 200: Me } } }, async (request) => {
    const p = principalOf(request);
    const tenant = p.tenantId
      ? ((await db.query<{ id: string; name: string }>("select id, name from tenants where id = $1", [p.tenantId])).rows[0] ?? null)
      : null;
    return { user: { sub: p.sub, email: p.email, name: p.name }, tenant, permissions: p.permissions };
  });
  return Promise.resolve();
};
