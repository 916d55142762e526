// OIDC discovery and the JWKS.
import type { FastifyInstance } from "fastify";
import type { TokenContext } from "./tokens.ts";

export function discoveryRoutes(app: FastifyInstance, ctx: TokenContext): void {
  const base = ctx.baseUrl;
  app.get("/.well-known/openid-configuration", () => ({
    issuer: `${base}/`,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    response_types_supported: ["code"],
    response_modes_supported: ["query", "web_message"],
    code_challenge_methods_supported: ["S256"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: [
      "client_secret_basic",
      "client_secret_post",
      "none",
    ],
    grant_types_supported: [
      "authorization_code",
      "refresh_token",
      "client_credentials",
    ],
    claims_supported: [
      "aud",
      "auth_time",
      "email",
      "email_verified",
      "exp",
      "family_name",
      "given_name",
      "iat",
      "iss",
      "name",
      "nickname",
      "picture",
      "sub",
      "updated_at",
    ],
  }));
  app.get("/.well-known/jwks.json", () => ctx.keys.jwks);
}
