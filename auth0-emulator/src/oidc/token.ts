// POST /oauth/token: authorization_code (+PKCE), refresh_token (rotation), client_credentials.
// Form or JSON bodies; errors in the OAuth shape {error, error_description}.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { authenticateClient } from "./client-auth.ts";
import { clientCredentialsGrant } from "./client-credentials.ts";
import type { OidcMemory } from "./memory.ts";
import { OAuthError } from "./oauth-error.ts";
import type { TokenContext } from "./tokens.ts";
import {
  authorizationCodeGrant,
  refreshTokenGrant,
  type TokenResponse,
} from "./user-grants.ts";

const TokenBody = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  code_verifier: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
  audience: z.string().optional(),
  scope: z.string().optional(),
});
type TokenBody = z.infer<typeof TokenBody>;

export function tokenRoutes(
  app: FastifyInstance,
  ctx: TokenContext,
  memory: OidcMemory,
): void {
  const { store } = ctx;

  const grant = async (
    req: FastifyRequest,
    body: TokenBody,
  ): Promise<TokenResponse> => {
    switch (body.grant_type) {
      case "authorization_code":
        return authorizationCodeGrant(
          ctx,
          memory,
          authenticateClient(store, req, body),
          body,
        );
      case "refresh_token":
        return refreshTokenGrant(
          ctx,
          memory,
          authenticateClient(store, req, body),
          body,
        );
      case "client_credentials":
        return clientCredentialsGrant(
          ctx,
          authenticateClient(store, req, body, { requireSecret: true }),
          body,
        );
      default:
        throw new OAuthError(
          400,
          "unsupported_grant_type",
          `Unsupported grant type: ${body.grant_type ?? "(none)"}`,
        );
    }
  };

  app.post("/oauth/token", async (req, reply) => {
    reply.header("cache-control", "no-store").header("pragma", "no-cache");
    try {
      const parsed = TokenBody.safeParse(req.body ?? {});
      if (!parsed.success)
        throw new OAuthError(400, "invalid_request", "Invalid request body");
      return reply.send(await grant(req, parsed.data));
    } catch (err) {
      if (err instanceof OAuthError)
        return reply.code(err.statusCode).send(err.toJSON());
      throw err;
    }
  });
}
