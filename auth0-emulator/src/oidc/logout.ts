// GET /v2/logout: ends the emulator session, then returns to an allowed logout URL.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { html, renderErrorPage, renderPage } from "../html.ts";
import { isAllowedLogoutUrl } from "./clients.ts";
import type { OidcMemory } from "./memory.ts";
import {
  clearedSessionCookie,
  readCookie,
  sessionCookieName,
} from "./session-cookie.ts";
import type { TokenContext } from "./tokens.ts";

const LogoutQuery = z.object({
  client_id: z.string().optional(),
  returnTo: z.string().optional(),
});

export function logoutRoutes(
  app: FastifyInstance,
  ctx: TokenContext,
  memory: OidcMemory,
): void {
  const cookieName = sessionCookieName(ctx.baseUrl);

  app.get("/v2/logout", async (req, reply) => {
    const parsed = LogoutQuery.safeParse(req.query);
    const { client_id, returnTo } = parsed.success ? parsed.data : {};
    reply.header("cache-control", "no-store").type("text/html; charset=utf-8");
    if (returnTo !== undefined) {
      const client = client_id ? ctx.store.clients.get(client_id) : undefined;
      if (!client || !isAllowedLogoutUrl(client, returnTo)) {
        return reply
          .code(400)
          .send(
            renderErrorPage(
              "Logout URL not allowed",
              `invalid_request: The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`,
            ),
          );
      }
    }
    const sid = readCookie(req.headers.cookie, cookieName);
    if (sid) memory.sessions.delete(sid);
    reply.header("set-cookie", clearedSessionCookie(cookieName));
    if (returnTo !== undefined) return reply.redirect(returnTo, 302);
    return reply.send(
      renderPage({
        title: "Logged out",
        body: html`<h1>You are logged out</h1>
          <p class="lead">You can close this window.</p>`,
      }),
    );
  });
}
