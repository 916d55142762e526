// GET /authorize: validates the request against the client, then answers from the session
// (code or login_required) or shows the login form (see login.ts for its submission).
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { EmuUser } from "../store/index.ts";
import { isAllowedCallback } from "./clients.ts";
import { sendErrorPage, sendLoginPage } from "./login-page.ts";
import type { AuthorizeRequest, OidcMemory } from "./memory.ts";
import { sendAuthorizationResult, sendCode } from "./respond.ts";
import { readCookie, sessionCookieName } from "./session-cookie.ts";
import type { TokenContext } from "./tokens.ts";

const AuthorizeQuery = z.object({
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  response_type: z.string().optional(),
  response_mode: z.string().optional(),
  scope: z.string().optional(),
  state: z.string().optional(),
  nonce: z.string().optional(),
  audience: z.string().optional(),
  prompt: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
});

export function authorizeRoutes(
  app: FastifyInstance,
  ctx: TokenContext,
  memory: OidcMemory,
): void {
  const { store } = ctx;
  const cookieName = sessionCookieName(ctx.baseUrl);

  const activeUser = (userId: string): EmuUser | undefined => {
    const user = store.users.get(userId);
    return user && !user.blocked ? user : undefined;
  };

  const finish = (
    reply: FastifyReply,
    request: AuthorizeRequest,
    user: EmuUser,
    authTime: number,
  ) => sendCode(reply, memory, request, user.user_id, authTime);

  app.get("/authorize", async (req, reply) => {
    const q = AuthorizeQuery.safeParse(req.query);
    if (!q.success)
      return sendErrorPage(
        reply,
        400,
        "Invalid request",
        "The authorization request is malformed.",
      );
    const query = q.data;
    const client = query.client_id
      ? store.clients.get(query.client_id)
      : undefined;
    if (!client)
      return sendErrorPage(
        reply,
        400,
        "Unknown application",
        `Unknown client: ${query.client_id ?? "(none)"}`,
      );
    // Never redirect anywhere that is not an allowed callback: errors before this point are pages.
    if (!query.redirect_uri || !isAllowedCallback(client, query.redirect_uri)) {
      return sendErrorPage(
        reply,
        400,
        "Callback URL mismatch",
        `Callback URL mismatch. ${query.redirect_uri ?? "(none)"} is not in the list of allowed callback URLs of ${client.name}.`,
      );
    }
    const mode = query.response_mode ?? "query";
    if (mode !== "query" && mode !== "web_message") {
      return sendErrorPage(
        reply,
        400,
        "Invalid request",
        `Unsupported response_mode: ${mode}`,
      );
    }
    const request: AuthorizeRequest = {
      client_id: client.client_id,
      redirect_uri: query.redirect_uri,
      response_mode: mode,
      state: query.state,
      nonce: query.nonce,
      scope: query.scope ?? "openid",
      audience: query.audience,
      code_challenge: query.code_challenge,
    };
    const fail = (error: string, description: string) =>
      sendAuthorizationResult(reply, request, {
        error,
        error_description: description,
      });

    if (query.response_type !== "code")
      return fail(
        "unsupported_response_type",
        `Unsupported response type: ${query.response_type ?? "(none)"}`,
      );
    if (!client.grant_types.includes("authorization_code"))
      return fail(
        "unauthorized_client",
        "Grant type 'authorization_code' not allowed for the client.",
      );
    if (
      query.code_challenge !== undefined &&
      query.code_challenge_method !== "S256"
    ) {
      return fail("invalid_request", "code_challenge_method must be S256");
    }
    if (client.app_type === "spa" && !query.code_challenge) {
      return fail(
        "invalid_request",
        "PKCE is required: send code_challenge with code_challenge_method=S256",
      );
    }
    if (query.audience && !store.apis.get(query.audience))
      return fail("access_denied", `Service not found: ${query.audience}`);

    const prompt = (query.prompt ?? "").split(" ");
    const sessionId = readCookie(req.headers.cookie, cookieName);
    const session = memory.session(sessionId);
    const user = session ? activeUser(session.user_id) : undefined;
    if (prompt.includes("none")) {
      if (session && user)
        return finish(reply, request, user, session.auth_time);
      return fail("login_required", "Login required");
    }
    if (session && user && !prompt.includes("login"))
      return finish(reply, request, user, session.auth_time);
    return sendLoginPage(reply, 200, client, memory.startLogin(request));
  });
}
