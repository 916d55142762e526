// GET /userinfo with a bearer access token (any token issued for this tenant's /userinfo audience).
import type { FastifyInstance } from "fastify";
import { profileClaims, type TokenContext } from "./tokens.ts";

export function userinfoRoutes(app: FastifyInstance, ctx: TokenContext): void {
  app.get("/userinfo", async (req, reply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(
      req.headers.authorization ?? "",
    )?.[1];
    const payload = bearer
      ? await ctx.keys
          .verify(bearer, `${ctx.baseUrl}/userinfo`)
          .catch(() => undefined)
      : undefined;
    const user = payload?.sub ? ctx.store.users.get(payload.sub) : undefined;
    if (!payload || !user) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer error="invalid_token"')
        .send("Unauthorized");
    }
    const scope = typeof payload.scope === "string" ? payload.scope : "";
    return { sub: user.user_id, ...profileClaims(user, scope) };
  });
}
