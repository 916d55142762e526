// Test access tokens signed by a local RSA key, verified by the same createVerifyToken as prod.
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
} from "jose";
import { createVerifyToken, type VerifyToken } from "../auth.ts";
import type { Config } from "../config.ts";
import type { Permission } from "../shared-contract.ts";

export const ADMIN_PERMISSIONS: Permission[] = [
  "read:members",
  "invite:members",
  "revoke:members",
  "resend:invitations",
];
export const SUPPORT_PERMISSIONS: Permission[] = [
  "read:all_tenants",
  "resend:invitations",
  "manage:tenants",
];

export interface TokenClaims {
  sub?: string;
  email?: string;
  tenant?: string | null;
  permissions?: string[];
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  /** the application the token was issued to; default the SPA (AUTH0_SPA_CLIENT_ID) */
  azp?: string | null;
  /** grant type claim, e.g. "client-credentials" */
  gty?: string;
}

export interface TestTokens {
  verifyToken: VerifyToken;
  publicJwk: JWK;
  sign(claims?: TokenClaims): Promise<string>;
  admin(tenant: string, extra?: TokenClaims): Promise<string>;
  support(extra?: TokenClaims): Promise<string>;
}

let counter = 0;

export async function createTestTokens(config: Config): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    extractable: true,
  });
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid: "test-key",
    alg: "RS256",
    use: "sig",
  };
  const verifyToken = createVerifyToken({
    issuer: config.auth0.issuer,
    audience: config.auth0.audience,
    tenantClaim: config.auth0.tenantClaim,
    allowedClientIds: config.auth0.allowedClientIds,
    keys: createLocalJWKSet({ keys: [publicJwk] }),
  });
  const sign = async (claims: TokenClaims = {}): Promise<string> => {
    const body: Record<string, unknown> = {
      permissions: claims.permissions ?? [],
    };
    if (claims.email) body.email = claims.email;
    if (claims.tenant) body[config.auth0.tenantClaim] = claims.tenant;
    if (claims.azp !== null) body.azp = claims.azp ?? config.auth0.spaClientId;
    if (claims.gty) body.gty = claims.gty;
    return new SignJWT(body)
      .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" })
      .setSubject(claims.sub ?? `auth0|test${++counter}`)
      .setIssuer(claims.issuer ?? config.auth0.issuer)
      .setAudience(claims.audience ?? config.auth0.audience)
      .setIssuedAt()
      .setExpirationTime(claims.expiresIn ?? "10m")
      .sign(privateKey);
  };
  return {
    verifyToken,
    publicJwk,
    sign,
    admin: (tenant, extra = {}) =>
      sign({
        sub: `auth0|admin-${tenant}`,
        email: `admin@${tenant}.test`,
        tenant,
        permissions: ADMIN_PERMISSIONS,
        ...extra,
      }),
    support: (extra = {}) =>
      sign({
        sub: "auth0|support",
        email: "support@exampleco.test",
        permissions: SUPPORT_PERMISSIONS,
        ...extra,
      }),
  };
}
