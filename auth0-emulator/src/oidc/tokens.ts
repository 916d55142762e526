// Minting tokens the way Auth0 issues them: RS256 JWTs, `iss` = "<base>/", access tokens for an
// API audience with RBAC `permissions` and the tenant claim, ID tokens for the client.
import type { Keys } from "../keys.ts";
import type { EmuApi, EmuUser, Store } from "../store/index.ts";
import { postLoginClaims } from "./post-login.ts";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"];
export const ID_TOKEN_LIFETIME_SEC = 36_000; // 10 h, Auth0's default
export const DEFAULT_TOKEN_LIFETIME_SEC = 86_400;

export interface TokenContext {
  store: Store;
  keys: Keys;
  baseUrl: string;
}

export interface UserAccessTokenInput {
  user: EmuUser;
  clientId: string;
  /** API identifier; absent: a token only good for /userinfo */
  audience?: string;
  scope: string;
  /** overrides for the control API; `tenant: null` drops the claim */
  permissions?: string[];
  tenant?: string | null;
  expiresIn?: number;
}

/** RBAC: the user's permissions that belong to this API (Auth0 ties permissions to an API). */
export function apiPermissions(
  store: Store,
  user: EmuUser,
  api: EmuApi,
): string[] {
  return store.permissionsOf(user).filter((p) => api.scopes.includes(p));
}

/** The scopes Auth0 grants: known OIDC scopes, plus API scopes the user holds (RBAC enforced). */
export function grantedScope(
  requested: string,
  api: EmuApi | undefined,
  permissions: string[],
): string {
  const wanted = requested.split(/\s+/).filter(Boolean);
  const granted = wanted.filter(
    (s) =>
      OIDC_SCOPES.includes(s) ||
      (api !== undefined &&
        api.scopes.includes(s) &&
        (!api.enforce_policies || permissions.includes(s))),
  );
  return [...new Set(granted)].join(" ");
}

export async function mintUserAccessToken(
  ctx: TokenContext,
  input: UserAccessTokenInput,
): Promise<{ token: string; expiresIn: number }> {
  const { store, keys, baseUrl } = ctx;
  const api = input.audience ? store.apis.get(input.audience) : undefined;
  const userinfo = `${baseUrl}/userinfo`;
  const rbac =
    api !== undefined &&
    api.enforce_policies &&
    api.token_dialect.endsWith("_authz");
  const permissions =
    input.permissions ?? (api ? apiPermissions(store, input.user, api) : []);
  const claimName = store.tenant.claim;
  const tenantClaim =
    input.tenant === undefined
      ? (await postLoginClaims(store, input.user, input.clientId)).accessToken
      : input.tenant === null
        ? {}
        : { [claimName]: input.tenant };
  const expiresIn =
    input.expiresIn ?? api?.token_lifetime ?? DEFAULT_TOKEN_LIFETIME_SEC;
  const scope = grantedScope(input.scope, api, permissions);
  const token = await keys.sign(
    {
      ...tenantClaim,
      sub: input.user.user_id,
      aud: api
        ? scope.split(" ").includes("openid")
          ? [api.identifier, userinfo]
          : api.identifier
        : userinfo,
      azp: input.clientId,
      scope,
      ...(rbac ? { permissions } : {}),
    },
    { expiresInSec: expiresIn },
  );
  return { token, expiresIn };
}

export interface IdTokenInput {
  user: EmuUser;
  clientId: string;
  scope: string;
  nonce?: string;
  authTime?: number;
}

export function profileClaims(
  user: EmuUser,
  scope: string,
): Record<string, unknown> {
  const scopes = scope.split(" ");
  return {
    ...(scopes.includes("profile")
      ? {
          name: user.name,
          nickname: user.nickname,
          picture: user.picture,
          updated_at: user.updated_at,
          ...(user.given_name ? { given_name: user.given_name } : {}),
          ...(user.family_name ? { family_name: user.family_name } : {}),
        }
      : {}),
    ...(scopes.includes("email")
      ? { email: user.email, email_verified: user.email_verified }
      : {}),
  };
}

export async function mintIdToken(
  ctx: TokenContext,
  input: IdTokenInput,
): Promise<string> {
  return ctx.keys.sign(
    {
      ...(await postLoginClaims(ctx.store, input.user, input.clientId)).idToken,
      ...profileClaims(input.user, input.scope),
      sub: input.user.user_id,
      aud: input.clientId,
      azp: input.clientId,
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(input.authTime ? { auth_time: input.authTime } : {}),
    },
    { expiresInSec: ID_TOKEN_LIFETIME_SEC },
  );
}
