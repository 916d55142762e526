// client_credentials for machine-to-machine clients: a token for an API the client has a grant for.
import { MANAGEMENT_AUDIENCE, type EmuClient } from "../store/index.ts";
import { OAuthError } from "./oauth-error.ts";
import { DEFAULT_TOKEN_LIFETIME_SEC, type TokenContext } from "./tokens.ts";

export function managementAudience(baseUrl: string): string {
  return `${baseUrl}/api/v2/`;
}

export async function clientCredentialsGrant(
  ctx: TokenContext,
  client: EmuClient,
  body: { audience?: string; scope?: string },
): Promise<Record<string, string | number>> {
  if (!client.grant_types.includes("client_credentials")) {
    throw new OAuthError(
      403,
      "unauthorized_client",
      "Grant type 'client_credentials' not allowed for the client.",
    );
  }
  const audience = body.audience;
  if (!audience) {
    throw new OAuthError(
      403,
      "access_denied",
      "No audience parameter was provided, and no default audience has been configured",
    );
  }
  const mgmt = managementAudience(ctx.baseUrl);
  const api = audience === mgmt ? undefined : ctx.store.apis.get(audience);
  if (audience !== mgmt && !api)
    throw new OAuthError(
      403,
      "access_denied",
      `Service not found: ${audience}`,
    );
  const grant = (client.grants ?? []).find(
    (g) =>
      (g.audience === MANAGEMENT_AUDIENCE ? mgmt : g.audience) === audience,
  );
  if (!grant) {
    throw new OAuthError(
      403,
      "access_denied",
      `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
    );
  }
  // A requested scope narrows the grant; scopes outside the grant are refused like Auth0 does.
  const requested = body.scope?.split(/\s+/).filter(Boolean);
  const notGranted = requested?.filter((s) => !grant.scope.includes(s)) ?? [];
  if (notGranted.length > 0) {
    throw new OAuthError(
      403,
      "access_denied",
      `Client has not been granted scopes: ${notGranted.join(", ")}`,
    );
  }
  const scope = (requested ?? grant.scope).join(" ");
  const expiresIn = api?.token_lifetime ?? DEFAULT_TOKEN_LIFETIME_SEC;
  const rbac =
    api !== undefined &&
    api.enforce_policies &&
    api.token_dialect.endsWith("_authz");
  const access_token = await ctx.keys.sign(
    {
      sub: `${client.client_id}@clients`,
      aud: audience,
      azp: client.client_id,
      scope,
      gty: "client-credentials",
      ...(rbac ? { permissions: requested ?? grant.scope } : {}),
    },
    { expiresInSec: expiresIn },
  );
  return { access_token, scope, expires_in: expiresIn, token_type: "Bearer" };
}
