// The user grants of /oauth/token: authorization_code (+PKCE) and refresh_token (rotation).
import { createHash } from "node:crypto";
import type { EmuClient } from "../store/index.ts";
import { safeEqual } from "./client-auth.ts";
import { sameUrl } from "./clients.ts";
import type { OidcMemory } from "./memory.ts";
import { OAuthError } from "./oauth-error.ts";
import {
  mintIdToken,
  mintUserAccessToken,
  type TokenContext,
} from "./tokens.ts";

export type TokenResponse = Record<string, string | number>;

interface UserGrant {
  user_id: string;
  scope: string;
  audience?: string;
  nonce?: string;
  auth_time?: number;
  /** refresh-token family to continue (rotation) */
  family?: string;
}

function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** access_token + id_token (+ a new refresh_token with offline_access), as Auth0 answers SPAs. */
async function userTokens(
  ctx: TokenContext,
  memory: OidcMemory,
  client: EmuClient,
  grant: UserGrant,
): Promise<TokenResponse> {
  const user = ctx.store.users.get(grant.user_id);
  if (!user)
    throw new OAuthError(403, "invalid_grant", "The user no longer exists.");
  if (user.blocked)
    throw new OAuthError(401, "unauthorized", "user is blocked");
  const clientId = client.client_id;
  const access = await mintUserAccessToken(ctx, {
    user,
    clientId,
    audience: grant.audience,
    scope: grant.scope,
  });
  const scopes = grant.scope.split(" ");
  const response: TokenResponse = { access_token: access.token };
  if (scopes.includes("openid")) {
    response.id_token = await mintIdToken(ctx, {
      user,
      clientId,
      scope: grant.scope,
      nonce: grant.nonce,
      authTime: grant.auth_time,
    });
  }
  Object.assign(response, {
    scope: grant.scope,
    expires_in: access.expiresIn,
    token_type: "Bearer",
  });
  if (
    scopes.includes("offline_access") &&
    client.grant_types.includes("refresh_token")
  ) {
    response.refresh_token = memory.issueRefreshToken({
      family: grant.family,
      client_id: clientId,
      user_id: user.user_id,
      scope: grant.scope,
      audience: grant.audience,
    });
  }
  return response;
}

export async function authorizationCodeGrant(
  ctx: TokenContext,
  memory: OidcMemory,
  client: EmuClient,
  body: { code?: string; code_verifier?: string; redirect_uri?: string },
): Promise<TokenResponse> {
  if (!body.code)
    throw new OAuthError(
      400,
      "invalid_request",
      "Missing required parameter: code",
    );
  const grant = memory.redeemCode(body.code);
  if (!grant || grant.request.client_id !== client.client_id) {
    throw new OAuthError(403, "invalid_grant", "Invalid authorization code");
  }
  if (
    !body.redirect_uri ||
    !sameUrl(body.redirect_uri, grant.request.redirect_uri)
  ) {
    throw new OAuthError(
      403,
      "invalid_grant",
      "Redirect URI does not match the one used in the authorization request.",
    );
  }
  const challenge = grant.request.code_challenge;
  if (
    challenge !== undefined &&
    (!body.code_verifier ||
      !safeEqual(pkceChallenge(body.code_verifier), challenge))
  ) {
    throw new OAuthError(
      403,
      "invalid_grant",
      "Failed to verify code verifier",
    );
  }
  const { request } = grant;
  return userTokens(ctx, memory, client, {
    user_id: grant.user_id,
    scope: request.scope,
    audience: request.audience,
    nonce: request.nonce,
    auth_time: grant.auth_time,
  });
}

export async function refreshTokenGrant(
  ctx: TokenContext,
  memory: OidcMemory,
  client: EmuClient,
  body: { refresh_token?: string; audience?: string },
): Promise<TokenResponse> {
  if (!client.grant_types.includes("refresh_token")) {
    throw new OAuthError(
      403,
      "unauthorized_client",
      "Grant type 'refresh_token' not allowed for the client.",
    );
  }
  if (!body.refresh_token)
    throw new OAuthError(
      400,
      "invalid_request",
      "Missing required parameter: refresh_token",
    );
  const grant = memory.useRefreshToken(body.refresh_token);
  if (!grant || grant.client_id !== client.client_id) {
    throw new OAuthError(
      403,
      "invalid_grant",
      "Unknown or invalid refresh token.",
    );
  }
  const audience =
    body.audience && ctx.store.apis.get(body.audience)
      ? body.audience
      : grant.audience;
  return userTokens(ctx, memory, client, {
    user_id: grant.user_id,
    scope: grant.scope,
    audience,
    family: grant.family,
  });
}
