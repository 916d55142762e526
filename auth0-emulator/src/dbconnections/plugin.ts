// Authentication API database endpoints (OAS-auth `changePassword`, `signup`; Auth0 Authentication API: POST /dbconnections/change_password):
// change_password always answers 200 text/plain (whether or not the user exists) and "sends" the
// reset email to the outbox; signup is refused while the connection has `disable_signup`.
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import { checkPasswordPolicy } from "../management/password-policy.ts";
import { hashPassword, makeUser, type Store } from "../store/index.ts";
import { sendEmail } from "../tickets/outbox.ts";
import { createTicket } from "../tickets/ticket-store.ts";

export interface DbConnectionsOptions {
  store: Store;
}

export const CHANGE_PASSWORD_SENT =
  "We've just sent you an email to reset your password.";

type Body = Record<string, unknown>;

/**
 * Error body: the spec's OAuth shape `{error, error_description}` plus the legacy dbconnections
 * keys `{name, code, description, statusCode}` that auth0.js/Lock read (shape UNCONFIRMED).
 */
function fail(
  reply: FastifyReply,
  code: string,
  description: string,
  name = "BadRequestError",
): FastifyReply {
  return reply.code(400).send({
    error: code,
    error_description: description,
    name,
    code,
    description,
    statusCode: 400,
  });
}

function str(body: Body, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? "localhost"}`;
}

export const dbConnectionsPlugin: FastifyPluginCallback<
  DbConnectionsOptions
> = (app, { store }, done) => {
  app.post<{ Body: Body | undefined }>(
    "/dbconnections/change_password",
    async (req, reply) => {
      const body = req.body ?? {};
      const email = str(body, "email");
      const connection = str(body, "connection");
      const clientId = str(body, "client_id");
      if (!email)
        return fail(
          reply,
          "invalid_request",
          "Missing required parameter: email",
        );
      if (!connection)
        return fail(
          reply,
          "invalid_request",
          "Missing required parameter: connection",
        );
      if (clientId && !store.clients.get(clientId))
        return fail(reply, "invalid_request", "Unknown client");
      if (connection !== store.connection.name)
        return fail(reply, "invalid_request", "Connection does not exist");
      const user = store.users.byEmail(email);
      if (user) {
        const link = createTicket(store, baseOf(req), {
          kind: "password-change",
          user_id: user.user_id,
          ...(clientId ? { client_id: clientId } : {}),
        });
        sendEmail(store, { to: user.email, template: "change_password", link });
      }
      return reply.type("text/plain; charset=utf-8").send(CHANGE_PASSWORD_SENT);
    },
  );

  app.post<{ Body: Body | undefined }>(
    "/dbconnections/signup",
    async (req, reply) => {
      const body = req.body ?? {};
      const email = str(body, "email");
      const password = str(body, "password");
      const clientId = str(body, "client_id");
      const connectionName = str(body, "connection");
      if (!clientId || !store.clients.get(clientId))
        return fail(reply, "invalid_request", "Missing or unknown client_id");
      if (!email || !password || !connectionName)
        return fail(
          reply,
          "invalid_request",
          "Missing required parameters: email, password, connection",
        );
      const connection = store.connection;
      if (connectionName !== connection.name)
        return fail(reply, "invalid_connection", "Connection does not exist");
      if (connection.options.disable_signup === true)
        return fail(
          reply,
          "operation_not_allowed",
          "Public signup is disabled",
        );
      if (!checkPasswordPolicy(connection, password).ok) {
        return fail(
          reply,
          "invalid_password",
          "Password is too weak",
          "PasswordStrengthError",
        );
      }
      if (store.users.byEmail(email))
        return fail(reply, "invalid_signup", "Invalid sign up");
      const user = makeUser({
        email,
        connection: connection.name,
        password_hash: hashPassword(password, store.passwordRounds),
      });
      store.users.save(user);
      return {
        _id: user.user_id.replace(/^auth0\|/, ""),
        email: user.email,
        email_verified: false,
      };
    },
  );
  done();
};
