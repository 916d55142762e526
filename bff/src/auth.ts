// Access-token verification (jose, RS256 only, issuer + audience + expiry) and the per-route
// authorisation guard. Every /api route declares `config.auth`; a route without it fails at start.
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { AppError } from "./errors.ts";
import { Permission } from "./shared-contract.ts";

export interface Principal {
  sub: string;
  email: string | null;
  name: string | null;
  /** the tenant claim; null for support staff (and anyone without a tenant) */
  tenantId: string | null;
  permissions: Permission[];
}

export type VerifyToken = (token: string) => Promise<Principal>;

export interface VerifyTokenOptions {
  issuer: string;
  audience: string;
  tenantClaim: string;
  /** applications whose user tokens are accepted (azp): the SPA plus AUTH0_ALLOWED_CLIENT_IDS */
  allowedClientIds: readonly string[];
  /** defaults to `${issuer}.well-known/jwks.json` */
  jwksUrl?: string;
  /** for tests: a local key set instead of fetching JWKS */
  keys?: JWTVerifyGetKey;
}

export function createVerifyToken(options: VerifyTokenOptions): VerifyToken {
  const keys =
    options.keys ??
    createRemoteJWKSet(
      new URL(options.jwksUrl ?? `${options.issuer}.well-known/jwks.json`),
    );
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp"],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw new AppError("unauthorized", describeJoseError(error), undefined, {
        cause: error,
      });
    }
    checkClient(payload, options.allowedClientIds);
    return principalFromClaims(payload, options.tenantClaim);
  };
}

/**
 * Only people signed in through our own applications: Auth0 names the application in `azp`
 * (`client_id` in some token profiles), and marks machine-to-machine tokens with
 * `gty: "client-credentials"` (Auth0 docs: "Access Token Profiles", "Validate Access Tokens").
 */
function checkClient(payload: JWTPayload, allowed: readonly string[]): void {
  const gty: unknown = payload.gty;
  if (
    gty === "client-credentials" ||
    (Array.isArray(gty) && gty.includes("client-credentials"))
  )
    throw new AppError(
      "unauthorized",
      "Machine-to-machine tokens cannot use this API; sign in as a person",
    );
  const client =
    typeof payload.azp === "string"
      ? payload.azp
      : typeof payload.client_id === "string"
        ? payload.client_id
        : undefined;
  if (client === undefined || !allowed.includes(client))
    throw new AppError(
      "unauthorized",
      "The access token was issued to an application this API does not accept",
    );
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired)
    return "The access token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The access token is not valid here (${error.claim})`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return "The access token uses an algorithm that is not allowed";
  if (
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWSSignatureVerificationFailed
  ) {
    return "The access token signature is not valid";
  }
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid
  )
    return "Could not check the access token right now";
  return "The access token is not valid";
}

function principalFromClaims(
  payload: JWTPayload,
  tenantClaim: string,
): Principal {
  const str = (v: unknown): string | null =>
    typeof v === "string" && v.length > 0 ? v : null;
  const raw: unknown[] = Array.isArray(payload.permissions)
    ? (payload.permissions as unknown[])
    : [];
  const permissions = raw.flatMap((p) => {
    const parsed = Permission.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
  const sub = str(payload.sub);
  if (!sub)
    throw new AppError("unauthorized", "The access token has no subject");
  return {
    sub,
    // Auth0 access tokens carry email/name only when an Action adds them (namespaced or not).
    email:
      str(payload.email) ?? str(payload["https://guestlist.example/email"]),
    name: str(payload.name) ?? str(payload["https://guestlist.example/name"]),
    tenantId: str(payload[tenantClaim]),
    permissions,
  };
}

// ---------- per-route authorisation ----------

/**
 * How a route is authorised.
 * - `public`: no token needed (health, docs).
 * - otherwise a valid token; `permissions` lists alternatives (any one suffices; [] = any signed-in user);
 * - `tenant` (only meaningful for paths with `:tenantId`):
 *   `own` — the token's tenant must equal the path's (default);
 *   `own-or-support` — or the token has `read:all_tenants` (only for read and resend actions);
 *   `global` — no tenant in the path (the permission itself is global, e.g. manage:tenants).
 */
export type RouteAuth =
  | { public: true }
  | {
      public?: false;
      permissions: readonly Permission[];
      tenant?: "own" | "own-or-support" | "global";
    };

/** One /api route and its declared rule (the authorisation test iterates these). */
export interface RegisteredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
}

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** every route registered in the /api scope, with its rule */
    apiRoutes: RegisteredRoute[];
  }
}

/** Shorthand for route options: `{ config: requires("read:members") }`. */
export function requires(...permissions: Permission[]): { auth: RouteAuth } {
  return { auth: { permissions, tenant: "own" } };
}
/** Read/resend routes that support staff (read:all_tenants) may use on any tenant. */
export function requiresOwnOrSupport(...permissions: Permission[]): {
  auth: RouteAuth;
} {
  return { auth: { permissions, tenant: "own-or-support" } };
}
export function requiresGlobal(...permissions: Permission[]): {
  auth: RouteAuth;
} {
  return { auth: { permissions, tenant: "global" } };
}
export const signedIn: { auth: RouteAuth } = {
  auth: { permissions: [], tenant: "global" },
};
export const publicRoute: { auth: RouteAuth } = { auth: { public: true } };

/** The principal of an authenticated request (the guard has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("unauthorized", "Sign in first");
  return request.principal;
}

export function hasPermission(
  principal: Principal,
  permission: Permission,
): boolean {
  return principal.permissions.includes(permission);
}

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new AppError("unauthorized", "Missing bearer token");
  const match =
    /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(
      header.trim(),
    );
  if (!match?.[1])
    throw new AppError(
      "unauthorized",
      "Malformed Authorization header; expected Bearer <jwt>",
    );
  return match[1];
}

export function authorize(
  principal: Principal,
  auth: Exclude<RouteAuth, { public: true }>,
  pathTenant: string | undefined,
): void {
  const { permissions } = auth;
  if (
    permissions.length > 0 &&
    !permissions.some((p) => principal.permissions.includes(p))
  ) {
    throw new AppError(
      "forbidden",
      `This needs the permission ${permissions.join(" or ")}`,
    );
  }
  const mode = auth.tenant ?? "own";
  if (mode === "global" || pathTenant === undefined) return;
  if (principal.tenantId === pathTenant) return;
  if (mode === "own-or-support" && hasPermission(principal, "read:all_tenants"))
    return;
  throw new AppError("forbidden", "You cannot act on this tenant");
}

/**
 * Installs authentication + authorisation on a scope: an onRoute check that every route declares
 * `config.auth`, and an onRequest hook that verifies the token and applies the route's rule.
 */
export function installAuth(
  app: FastifyInstance,
  verifyToken: VerifyToken,
): void {
  app.decorateRequest("principal", null);
  if (!app.hasDecorator("apiRoutes")) app.decorate("apiRoutes", []);
  app.addHook("onRoute", (route: RouteOptions) => {
    const auth = route.config?.auth;
    if (!auth)
      throw new Error(
        `Route ${String(route.method)} ${route.url} does not declare config.auth (its permission)`,
      );
    for (const method of [route.method].flat()) {
      if (method !== "HEAD")
        app.apiRoutes.push({ method, url: route.url, auth });
    }
  });
  app.addHook("onRequest", async (request) => {
    const auth = request.routeOptions.config.auth;
    if (!auth) throw new AppError("not_found", "Not found");
    if (auth.public) return;
    const principal = await verifyToken(bearer(request));
    request.principal = principal;
    const params = request.params as
      Record<string, string | undefined> | undefined;
    try {
      authorize(principal, auth, params?.tenantId);
    } catch (error) {
      request.log.warn(
        {
          sub: principal.sub,
          tenant: principal.tenantId,
          route: request.routeOptions.url,
          pathTenant: params?.tenantId,
        },
        "authorisation denied",
      );
      throw error;
    }
  });
}
