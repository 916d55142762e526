// GET /authorize and the login form it shows (POST /u/login).
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { renderErrorPage } from "../html.ts";
import { checkPassword, type EmuClient, type EmuUser } from "../store.ts";
import { isAllowedCallback } from "./clients.ts";
import { renderLoginPage } from "./login-page.ts";
import {
  SESSION_TTL_MS,
  type AuthorizeRequest,
  type OidcMemory,
} from "./memory.ts";
import { sendAuthorizationResult } from "./respond.ts";
import {
  readCookie,
  sessionCookie,
  sessionCookieName,
} from "./session-cookie.ts";
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

const LoginForm = z.object({
  login: z.string().default(""),
  email: z.string().default(""),
  password: z.string().default(""),
});

export const WRONG_CREDENTIALS = "Wrong email or password.";
export const USER_BLOCKED = "user is blocked";

function errorPage(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(renderErrorPage(title, message));
}

function loginPage(
  reply: FastifyReply,
  status: number,
  client: EmuClient,
  loginId: string,
  email?: string,
  error?: string,
) {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .header("x-frame-options", "DENY")
    .type("text/html; charset=utf-8")
    .send(renderLoginPage({ appName: client.name, loginId, email, error }));
}

export function registerAuthorize(
  app: FastifyInstance,
  ctx: TokenContext,
  memory: OidcMemory,
): void {
  const { store } = ctx;
  const cookieName = sessionCookieName(ctx.baseUrl);

  const activeUser = (userId: string): EmuUser | undefined => {
    const user = store.userById(userId);
    return user && !user.blocked ? user : undefined;
  };

  const finish = (
    reply: FastifyReply,
    request: AuthorizeRequest,
    user: EmuUser,
    authTime: number,
  ) =>
    sendAuthorizationResult(reply, request, {
      code: memory.issueCode({
        request,
        user_id: user.user_id,
        auth_time: authTime,
      }),
    });

  app.get("/authorize", async (req, reply) => {
    const q = AuthorizeQuery.safeParse(req.query);
    if (!q.success)
      return errorPage(
        reply,
        400,
        "Invalid request",
        "The authorization request is malformed.",
      );
    const query = q.data;
    const client = query.client_id ? store.client(query.client_id) : undefined;
    if (!client)
      return errorPage(
        reply,
        400,
        "Unknown application",
        `Unknown client: ${query.client_id ?? "(none)"}`,
      );
    // Never redirect anywhere that is not an allowed callback: errors before this point are pages.
    if (!query.redirect_uri || !isAllowedCallback(client, query.redirect_uri)) {
      return errorPage(
        reply,
        400,
        "Callback URL mismatch",
        `Callback URL mismatch. ${query.redirect_uri ?? "(none)"} is not in the list of allowed callback URLs of ${client.name}.`,
      );
    }
    const mode = query.response_mode ?? "query";
    if (mode !== "query" && mode !== "web_message") {
      return errorPage(
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
    if (query.audience && !store.api(query.audience))
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
    return loginPage(reply, 200, client, memory.startLogin(request));
  });

  app.post("/u/login", async (req, reply) => {
    const form = LoginForm.safeParse(req.body ?? {});
    const { login, email, password } = form.success
      ? form.data
      : { login: "", email: "", password: "" };
    const pending = memory.pendingLogin(login);
    const client = pending
      ? store.client(pending.request.client_id)
      : undefined;
    if (!pending || !client) {
      return errorPage(
        reply,
        400,
        "Login expired",
        "This login page has expired. Go back to the application and sign in again.",
      );
    }
    const user = store.userByEmail(email.trim());
    if (!user || !checkPassword(password, user.password_hash)) {
      return loginPage(reply, 401, client, login, email, WRONG_CREDENTIALS);
    }
    if (user.blocked)
      return loginPage(reply, 401, client, login, email, USER_BLOCKED);

    memory.logins.delete(login);
    const now = new Date().toISOString();
    store.putUser({
      ...user,
      last_login: now,
      logins_count: user.logins_count + 1,
    });
    const sid = memory.createSession(user.user_id);
    const session = memory.session(sid);
    reply.header(
      "set-cookie",
      sessionCookie(cookieName, sid, SESSION_TTL_MS / 1000),
    );
    return finish(
      reply,
      pending.request,
      user,
      session?.auth_time ?? Math.floor(Date.now() / 1000),
    );
  });
}
