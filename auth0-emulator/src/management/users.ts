// /users (create), /users/{id} (read, update, delete) and /users-by-email (spec operations
// post_users, get_users_by_id, patch_users_by_id, delete_users_by_id, get_users-by-email).
import type { FastifyInstance } from "fastify";
import {
  hashPassword,
  makeUser,
  type EmuUser,
  type Store,
} from "../store/index.ts";
import {
  MgmtError,
  invalidBody,
  invalidQuery,
  userNotFound,
} from "./errors.ts";
import { checkPasswordPolicy } from "./password-policy.ts";
import { payloadValidator } from "./payload.ts";
import { createUserSchema, updateUserSchema } from "./schemas.ts";
import { project, toApiUser } from "./user-view.ts";
import { applyUserUpdate, type UserUpdate } from "./user-update.ts";

interface CreateUserBody {
  connection: string;
  verify_email?: boolean;
  phone_number?: string;
  phone_verified?: boolean;
  email?: string;
  password?: string;
  user_id?: string;
  username?: string;
  email_verified?: boolean;
  blocked?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

type IdParams = { id: string };

/** What POST /users stores besides email and password (`verify_email` only steers email). */
const PROFILE_FIELDS = [
  "email_verified",
  "blocked",
  "given_name",
  "family_name",
  "name",
  "nickname",
  "picture",
  "app_metadata",
  "user_metadata",
  "username",
  "phone_number",
  "phone_verified",
] as const;
type FieldsQuery = { fields?: string; include_fields?: string };

const createValidator = payloadValidator(createUserSchema);
const updateValidator = payloadValidator(updateUserSchema);

export const weakPassword = (): MgmtError =>
  new MgmtError(400, "PasswordStrengthError: Password is too weak");
const userExists = (): MgmtError =>
  new MgmtError(409, "The user already exists.", "auth0_idp_error");

function createUser(store: Store, body: CreateUserBody): EmuUser {
  const connection = store.connection;
  if (body.connection !== connection.name)
    throw new MgmtError(
      400,
      "Connection does not exist.",
      "inexistent_connection",
    );
  if (body.email === undefined)
    throw invalidBody(
      "Payload validation error: 'Missing required property: email'.",
    );
  if (body.password === undefined)
    throw invalidBody(
      "Payload validation error: 'Missing required property: password'.",
    );
  if (
    body.username !== undefined &&
    connection.options.requires_username !== true
  ) {
    throw invalidBody(
      "Cannot set username for connection without requires_username.",
    );
  }
  if (!checkPasswordPolicy(connection, body.password).ok) throw weakPassword();
  const userId = body.user_id ? `auth0|${body.user_id}` : undefined;
  if (store.users.byEmail(body.email) || (userId && store.users.get(userId)))
    throw userExists();
  const profile: Record<string, unknown> = {};
  for (const key of PROFILE_FIELDS)
    if (body[key] !== undefined) profile[key] = body[key];
  const user = makeUser({
    ...profile,
    ...(userId ? { user_id: userId } : {}),
    connection: connection.name,
    email: body.email,
    password_hash: hashPassword(body.password, store.passwordRounds),
  });
  store.users.save(user);
  return user;
}

export function usersRoutes(app: FastifyInstance, store: Store): void {
  app.post("/users", { config: { scopes: ["create:users"] } }, (req, reply) => {
    const user = createUser(
      store,
      createValidator.check<CreateUserBody>(
        req.body,
        req.headers["content-type"],
      ),
    );
    return reply.code(201).send(toApiUser(user));
  });

  app.get<{ Params: IdParams; Querystring: FieldsQuery }>(
    "/users/:id",
    {
      config: {
        scopes: ["read:users", "read:current_user", "read:user_idp_tokens"],
      },
    },
    (req) => {
      const user = store.users.get(req.params.id);
      if (!user) throw userNotFound();
      return project(
        toApiUser(user),
        req.query.fields,
        req.query.include_fields,
      );
    },
  );

  app.patch<{ Params: IdParams }>(
    "/users/:id",
    {
      config: {
        scopes: [
          "update:users",
          "update:users_app_metadata",
          "update:current_user_metadata",
        ],
      },
    },
    (req) => {
      const body = updateValidator.check<UserUpdate>(
        req.body,
        req.headers["content-type"],
      );
      const user = store.users.get(req.params.id);
      if (!user) throw userNotFound();
      const updated = applyUserUpdate(store, user, body);
      store.users.save(updated);
      return toApiUser(updated);
    },
  );

  app.delete<{ Params: IdParams }>(
    "/users/:id",
    { config: { scopes: ["delete:users", "delete:current_user"] } },
    (req, reply) => {
      // Auth0 answers 204 whether or not the user existed (the spec lists no 404 here).
      store.users.delete(req.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: FieldsQuery & { email?: string } }>(
    "/users-by-email",
    { config: { scopes: ["read:users"] } },
    (req) => {
      const email = req.query.email;
      if (typeof email !== "string" || email === "") {
        throw invalidQuery(
          "Query validation error: 'Missing required property: email'.",
        );
      }
      // The spec: the parameter is case-sensitive and database emails are stored lower-cased, so
      // `Admin@Acme.test` finds nothing on Auth0. Callers must lower-case (auth0-facts.md §6).
      const found = store.users.list().filter((u) => u.email === email);
      return found.map((u) =>
        project(toApiUser(u), req.query.fields, req.query.include_fields),
      );
    },
  );
}
