// buildApp(deps): the whole HTTP surface. Every collaborator comes in through `deps`, so tests pass
// fakes. Features are registered explicitly below; /api has one authenticated scope.
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { randomUUID } from "node:crypto";
import type { DestinationStream } from "pino";
import { installAuth, publicRoute, type VerifyToken } from "./auth.ts";
import { inLane, tenantLane, type LaneContext } from "./auth0/lanes.ts";
import type { Auth0 } from "./auth0/types.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/db.ts";
import { AppError, apiNotFound, installErrorHandler } from "./errors.ts";
import type { Feature } from "./feature.ts";
import { acceptRoutes } from "./features/accept/routes.ts";
import { auditRoutes } from "./features/audit/routes.ts";
import { healthRoutes } from "./features/health/routes.ts";
import { createSignupCheck } from "./features/health/signup-check.ts";
import { tcpSmtpCheck } from "./features/health/smtp-check.ts";
import { invitationsRoutes } from "./features/invitations/routes.ts";
import { membersRoutes } from "./features/members/routes.ts";
import { sessionRoutes } from "./features/session/routes.ts";
import { supportRoutes } from "./features/support/routes.ts";
import { tenantsRoutes } from "./features/tenants/routes.ts";
import { DEFAULT_BODY_LIMIT } from "./http-limits.ts";
import {
  createExperienceResolver,
  type ExperienceResolver,
} from "./invitation-lifecycle/experience.ts";
import { fastifyLoggerOption } from "./logger.ts";
import { DEFAULT_BRANDING, type Branding } from "./mail/invitation-email.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { PipelineHandle } from "./pipeline/worker.ts";
import { sharedRequestLimits } from "./request-limits.ts";
import { registerStatic } from "./static.ts";
import { requireStrictInputs } from "./strict-inputs.ts";

export interface AppDeps {
  config: Config;
  db: Db;
  auth0: Auth0;
  verifyToken: VerifyToken;
  /** the invitation pipeline's worker (routes wake it after enqueuing work) */
  pipeline: PipelineHandle;
  /** SMTP sender for support's links (the pipeline has its own reference) */
  mailer: Mailer;
  /** where log lines go (tests capture them); default stdout */
  logStream?: DestinationStream;
  /** per-user limit on mutating /api requests per minute; default 120 */
  mutationsPerMinute?: number;
  /** health readiness of SMTP; default: a TCP connect to SMTP_URL */
  smtpCheck?: () => Promise<void>;
  /** app and company names in emails and invitee pages; default DEFAULT_BRANDING */
  branding?: Branding;
  /** per-IP limit on the invitee's pages (/invitations/:token…) per minute; default 60 */
  invitePagesPerMinute?: number;
  /** the tenant's Universal Login experience; default: from config (auto = GET /api/v2/prompts, cached) */
  experience?: ExperienceResolver;
}

/** A feature plugin with the dependencies app.ts built for it, ready to register in a scope. */
interface Registration {
  register(scope: FastifyInstance): Promise<void>;
}

function feature<Deps extends object>(
  plugin: Feature<Deps>,
  deps: NoInfer<Deps>,
): Registration {
  return {
    async register(scope) {
      await scope.register(plugin, deps);
    },
  };
}

/** A client's own request id, logged as clientRequestId when it looks like an id. */
const CLIENT_REQUEST_ID = /^[\w-]{8,64}$/;
const OPENAPI_DOC = "/api/docs/json";

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: fastifyLoggerOption(config.logLevel, deps.logStream),
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Ids are ours: a client's X-Request-Id is only logged, labelled clientRequestId (below).
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    childLoggerFactory: (logger, bindings, options, rawReq) => {
      const given = rawReq.headers["x-request-id"];
      return logger.child(
        typeof given === "string" && CLIENT_REQUEST_ID.test(given)
          ? { ...bindings, clientRequestId: given }
          : bindings,
        options,
      );
    },
    // Behind the reverse proxy of docs/production.md, request.ip is the client it forwarded for.
    trustProxy: trustProxyOption(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.decorate("apiRoutes", []); // filled by installAuth's onRoute hook
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // Every API answer may carry personal data: no shared or browser cache keeps it (RFC 9111).
    if (request.url.startsWith("/api/") && !request.url.startsWith(OPENAPI_DOC))
      reply.header("cache-control", "no-store");
  });
  // Every Management API call a request makes is charged to its lane of the shared budget
  // (auth0/lanes.ts); callback style, so the handler runs inside the lane's async context.
  app.addHook("preHandler", (request, _reply, done) => {
    inLane(laneOf(request, config.auth0.interactiveWaitMs), done);
  });

  await app.register(helmet, {
    contentSecurityPolicy: { directives: cspDirectives(config) },
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Guestlist BFF",
        version: "1.0.0",
        description: "Invite-only onboarding on Auth0",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Every feature with the few dependencies it declares (its …Deps, next to its routes).
  const { db, auth0, pipeline, mailer } = deps;
  const signupCheck = createSignupCheck(auth0, app.log);
  const experience =
    deps.experience ??
    createExperienceResolver(auth0, config.auth0.ulExperience, app.log, {
      cacheMs: config.auth0.ulExperienceCacheSeconds * 1000,
    });
  const branding = deps.branding ?? DEFAULT_BRANDING;
  const smtpCheck = deps.smtpCheck ?? (() => tcpSmtpCheck(config.smtpUrl));
  /**
   * Inside the authenticated `/api` scope: paths relative to /api; every route MUST declare
   * `config: requires(...)` (see auth.ts); a route without it fails at start.
   */
  const apiFeatures = [
    feature(sessionRoutes, { db }),
    feature(healthRoutes, { db, auth0, signupCheck, smtpCheck }),
    feature(tenantsRoutes, { db }),
    feature(membersRoutes, { db, auth0, config }),
    feature(auditRoutes, { db }),
    feature(supportRoutes, {
      db,
      auth0,
      mailer,
      experience,
      branding,
      config,
    }),
    feature(invitationsRoutes, { db, auth0, pipeline }),
  ];
  /** Outside /api, with no bearer token: the invitee's journey. */
  const publicFeatures = [
    feature(acceptRoutes, {
      db,
      auth0,
      experience,
      branding,
      config,
      invitePagesPerMinute: deps.invitePagesPerMinute ?? 60,
    }),
  ];
  app.addHook("onReady", async () => {
    // Reads the connection once at start: warns loudly when sign-ups are still enabled.
    await signupCheck.refresh().catch(() => undefined);
  });

  await app.register(
    async (api) => {
      installAuth(api, deps.verifyToken);
      requireStrictInputs(api);
      await api.register(rateLimit, {
        global: true,
        max: deps.mutationsPerMinute ?? 120,
        // per user across all instances, not per instance (request-limits.ts)
        store: sharedRequestLimits(db, "api"),
        timeWindow: "1 minute",
        hook: "preParsing",
        keyGenerator: (req) => req.principal?.sub ?? req.ip,
        allowList: (req) =>
          req.method === "GET" ||
          req.method === "HEAD" ||
          req.method === "OPTIONS",
        errorResponseBuilder: (_req, ctx) =>
          new AppError(
            "rate_limited",
            `Too many changes; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
            undefined,
            {
              retryAfterSeconds: ctx.ttl / 1000,
            },
          ),
      });
      api.get(
        "/docs/json",
        { config: publicRoute, schema: { hide: true } },
        () => app.swagger(),
      );
      for (const f of apiFeatures) await f.register(api);
      api.setNotFoundHandler(apiNotFound);
    },
    { prefix: "/api" },
  );
  for (const f of publicFeatures) await f.register(app);
  await registerStatic(app, config.webDist);
  return app;
}

/** TRUST_PROXY as Fastify takes it: a hop count trusts that many proxies next to us (proxy-addr). */
function trustProxyOption(
  setting: Config["trustProxy"],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== "number") return setting;
  return (_address, hop) => hop < setting;
}

/**
 * The budget lane of a request: the invitee's pages get the invitee lane (reserved headroom);
 * admin and support requests about one tenant get that tenant's lane, and wait for tokens at
 * most `interactiveWaitMs` in total before answering 429 with Retry-After; other /api requests
 * get the system lane with the same short wait.
 */
function laneOf(
  request: FastifyRequest,
  interactiveWaitMs: number,
): LaneContext {
  if ((request.routeOptions.url ?? "").startsWith("/invitations/"))
    return { lane: "invitee" };
  const params: unknown = request.params;
  const tenantId =
    typeof params === "object" &&
    params !== null &&
    "tenantId" in params &&
    typeof params.tenantId === "string"
      ? params.tenantId
      : null;
  return {
    lane: tenantId ? tenantLane(tenantId) : "system",
    deadline: Date.now() + interactiveWaitMs,
  };
}

function origin(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}

/** CSP for the SPA: scripts from self only; Auth0 (issuer and Management/ticket host) for XHR, the silent-auth iframe and redirects. */
function cspDirectives(config: Config): Record<string, string[] | null> {
  const auth0 = [
    ...new Set([
      ...origin(config.auth0.issuer),
      ...origin(config.auth0.managementUrl),
      `https://${config.auth0.domain}`,
    ]),
  ];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:", "https:"],
    connectSrc: ["'self'", ...auth0],
    frameSrc: ["'self'", ...auth0],
    formAction: ["'self'", ...auth0],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    // On plain-http local stacks, upgrading would break the calls to the http emulator.
    upgradeInsecureRequests: config.publicUrl.startsWith("https:") ? [] : null,
  };
}
