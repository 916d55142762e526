// Test-only control API under /__emulator: reset, state, users, tokens. Exists only on the emulator.
import type { FastifyPluginCallback, FastifyReply } from "fastify";
import { z } from "zod";
import type { Keys } from "../keys.ts";
import { mintUserAccessToken } from "../oidc/tokens.ts";
import { hashPassword, makeUser, type Store } from "../store/index.ts";
import { publicState, publicUser } from "./views.ts";

export interface ControlPluginOptions {
  store: Store;
  keys: Keys;
  baseUrl: string;
}

export const BFF_AUDIENCE = "https://guestlist.example/api";
const SPA_CLIENT_ID = "guestlist-spa";
/** What the SPA asks for at login, so minted tokens carry what a real login would. */
const LOGIN_SCOPE = "openid profile email offline_access";

const CreateUserInput = z.object({
  email: z.email(),
  password: z.string().min(1).optional(),
  user_id: z
    .string()
    .regex(/^auth0\|.+$/)
    .optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  name: z.string().optional(),
  tenant: z.string().optional(),
  app_metadata: z.record(z.string(), z.unknown()).optional(),
  roles: z.array(z.string()).optional(),
  permissions: z.array(z.string()).optional(),
  email_verified: z.boolean().default(true),
  blocked: z.boolean().default(false),
});

const MintTokenInput = z.object({
  email: z.string(),
  permissions: z.array(z.string()).optional(),
  tenant: z.string().nullable().optional(),
  audience: z.string().optional(),
  expiresIn: z.number().int().positive().optional(),
});

function problem(
  reply: FastifyReply,
  statusCode: number,
  error: string,
  message: string,
) {
  return reply.code(statusCode).send({ statusCode, error, message });
}

export const controlPlugin: FastifyPluginCallback<ControlPluginOptions> = (
  app,
  { store, keys, baseUrl },
  done,
) => {
  app.post("/__emulator/reset", () => {
    store.reset();
    return { reset: true };
  });

  app.get("/__emulator/state", () => publicState(store));

  app.post("/__emulator/users", async (req, reply) => {
    const parsed = CreateUserInput.safeParse(req.body ?? {});
    if (!parsed.success)
      return problem(reply, 400, "Bad Request", z.prettifyError(parsed.error));
    const input = parsed.data;
    if (
      store.users.byEmail(input.email) ||
      (input.user_id && store.users.get(input.user_id))
    ) {
      return problem(reply, 409, "Conflict", "The user already exists.");
    }
    const roles: string[] = [];
    for (const ref of input.roles ?? []) {
      const role = store.roles
        .list()
        .find((r) => r.id === ref || r.name === ref);
      if (!role)
        return problem(reply, 400, "Bad Request", `Unknown role: ${ref}`);
      roles.push(role.id);
    }
    const user = makeUser({
      email: input.email,
      connection: store.connection.name,
      email_verified: input.email_verified,
      blocked: input.blocked,
      password_hash: input.password
        ? hashPassword(input.password, store.passwordRounds)
        : null,
      app_metadata: {
        ...input.app_metadata,
        ...(input.tenant ? { tenant_id: input.tenant } : {}),
      },
      roles,
      ...(input.user_id ? { user_id: input.user_id } : {}),
      ...(input.permissions ? { permissions: input.permissions } : {}),
      ...(input.given_name ? { given_name: input.given_name } : {}),
      ...(input.family_name ? { family_name: input.family_name } : {}),
      ...(input.name ? { name: input.name } : {}),
    });
    store.users.save(user);
    return reply.code(201).send(publicUser(store, user));
  });

  app.delete<{ Params: { id: string } }>(
    "/__emulator/users/:id",
    async (req, reply) => {
      if (!store.users.delete(req.params.id))
        return problem(reply, 404, "Not Found", "The user does not exist.");
      return reply.code(204).send();
    },
  );

  app.post("/__emulator/tokens", async (req, reply) => {
    const parsed = MintTokenInput.safeParse(req.body ?? {});
    if (!parsed.success)
      return problem(reply, 400, "Bad Request", z.prettifyError(parsed.error));
    const input = parsed.data;
    const user = store.users.byEmail(input.email);
    if (!user)
      return problem(
        reply,
        404,
        "Not Found",
        `No user with email ${input.email}`,
      );
    const audience = input.audience ?? BFF_AUDIENCE;
    if (!store.apis.get(audience))
      return problem(
        reply,
        400,
        "Bad Request",
        `Unknown audience: ${audience}`,
      );
    const { token, expiresIn } = await mintUserAccessToken(
      { store, keys, baseUrl },
      {
        user,
        clientId: SPA_CLIENT_ID,
        audience,
        scope: LOGIN_SCOPE,
        permissions: input.permissions,
        tenant: input.tenant,
        expiresIn: input.expiresIn,
      },
    );
    return { access_token: token, token_type: "Bearer", expires_in: expiresIn };
  });
  done();
};
