// POST /u/login: the login form's submission. Wrong credentials re-render the form (401);
// success starts the emulator session and answers the pending /authorize request with a code.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { checkPassword } from "../store/index.ts";
import { sendErrorPage, sendLoginPage } from "./login-page.ts";
import { SESSION_TTL_MS, type OidcMemory } from "./memory.ts";
import { sendCode } from "./respond.ts";
import { sessionCookie, sessionCookieName } from "./session-cookie.ts";
import type { TokenContext } from "./tokens.ts";

const LoginForm = z.object({
  login: z.string().default(""),
  email: z.string().default(""),
  password: z.string().default(""),
});

export const WRONG_CREDENTIALS = "Wrong email or password.";
export const USER_BLOCKED = "user is blocked";

export function loginRoutes(
  app: FastifyInstance,
  ctx: TokenContext,
  memory: OidcMemory,
): void {
  const { store } = ctx;
  const cookieName = sessionCookieName(ctx.baseUrl);

  app.post("/u/login", async (req, reply) => {
    const form = LoginForm.safeParse(req.body ?? {});
    const { login, email, password } = form.success
      ? form.data
      : { login: "", email: "", password: "" };
    const pending = memory.pendingLogin(login);
    const client = pending
      ? store.clients.get(pending.request.client_id)
      : undefined;
    if (!pending || !client) {
      return sendErrorPage(
        reply,
        400,
        "Login expired",
        "This login page has expired. Go back to the application and sign in again.",
      );
    }
    const user = store.users.byEmail(email.trim());
    if (!user || !checkPassword(password, user.password_hash)) {
      return sendLoginPage(reply, 401, client, login, email, WRONG_CREDENTIALS);
    }
    if (user.blocked)
      return sendLoginPage(reply, 401, client, login, email, USER_BLOCKED);

    memory.logins.delete(login);
    const now = new Date().toISOString();
    store.users.save({
      ...user,
      last_login: now,
      last_ip: req.ip,
      logins_count: user.logins_count + 1,
    });
    const sid = memory.createSession(user.user_id);
    const session = memory.session(sid);
    reply.header(
      "set-cookie",
      sessionCookie(cookieName, sid, SESSION_TTL_MS / 1000),
    );
    const authTime = session?.auth_time ?? Math.floor(Date.now() / 1000);
    return sendCode(reply, memory, pending.request, user.user_id, authTime);
  });
}
