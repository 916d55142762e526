// Bearer-token check and per-operation scopes, as the spec's `security` lists them.
// 401 bodies use the messages the spec lists; 403 is Auth0's `insufficient_scope` body.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { JWTPayload } from "jose";
import { MgmtError } from "./errors.ts";

export interface TokenVerifier {
  verify(token: string, audience: string): Promise<JWTPayload>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Any one of these scopes grants the operation (the spec's oAuth2ClientCredentials list). */
    scopes?: string[];
  }
  interface FastifyRequest {
    mgmtScopes?: Set<string>;
  }
}

function unauthorized(message: string): MgmtError {
  return new MgmtError(401, message);
}

function describeJoseError(err: unknown, audience: string): string {
  const code =
    err && typeof err === "object" && "code" in err ? String(err.code) : "";
  if (code === "ERR_JWT_EXPIRED")
    return "Expired token received for JSON Web Token validation";
  if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")
    return "Invalid signature received for JSON Web Token validation.";
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
    const claim =
      err && typeof err === "object" && "claim" in err ? String(err.claim) : "";
    if (claim === "aud") return `Bad audience: ${audience}`;
    if (claim === "iss") return "Bad issuer";
  }
  return "Invalid token.";
}

export function bearerAuth(verifier: TokenVerifier, audience: string) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw unauthorized("Missing authentication");
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw unauthorized("Bad HTTP authentication header format");
    let payload: JWTPayload;
    try {
      payload = await verifier.verify(match[1], audience);
    } catch (err) {
      throw unauthorized(describeJoseError(err, audience));
    }
    const scope = typeof payload.scope === "string" ? payload.scope : "";
    req.mgmtScopes = new Set(scope.split(" ").filter(Boolean));
    const needed = req.routeOptions.config.scopes ?? [];
    if (needed.length > 0 && !needed.some((s) => req.mgmtScopes?.has(s))) {
      throw new MgmtError(
        403,
        `Insufficient scope, expected any of: ${needed.join(",")}`,
        "insufficient_scope",
      );
    }
  };
}

export function hasScope(req: FastifyRequest, scope: string): boolean {
  return req.mgmtScopes?.has(scope) ?? false;
}
