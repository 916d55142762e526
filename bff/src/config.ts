// The only reader of process.env in the BFF. Without Auth0 variables the BFF talks to the local
// emulator; every bad variable is reported in one error.
import { isIP } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The placeholder AUTH0_DOMAIN of the local emulator (no AUTH0_DOMAIN set). */
export const EMULATOR_DOMAIN = "emulator.local";
/** The emulator's well-known secret (auth0-emulator/seed.json): public, so never valid in production. */
export const LOCAL_CLIENT_SECRET = "guestlist-bff-local-secret";

/** Management API rate-limit plans (Auth0 docs: Rate Limit Policy): burst = bucket size, perSecond = refill. */
export const RATE_LIMIT_PLANS = {
  enterprise: { burst: 50, perSecond: 16 },
  "enterprise-nonprod": { burst: 10, perSecond: 2 },
  // Essentials/Professional: the strictest group that we call ("all other endpoints", 10 / 150 per min).
  essentials: { burst: 10, perSecond: 2.5 },
  free: { burst: 2, perSecond: 2 },
} as const;
export type RatePlan = { burst: number; perSecond: number };

const url = z.url({
  error: "must be a full URL such as http://127.0.0.1:4010",
});
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const Env = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_URL: url.default("http://localhost:3000"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  WEB_DIST: z
    .string()
    .min(1)
    .default(resolve(REPO_ROOT, "web", "dist")),
  TENANTS_FILE: z
    .string()
    .min(1)
    .default(resolve(REPO_ROOT, "bff", "tenants.json")),

  AUTH0_ISSUER_BASE_URL: url.default("http://localhost:4010/"),
  /** The SDK always speaks https to AUTH0_DOMAIN; set this to reach an http emulator instead. */
  AUTH0_MANAGEMENT_URL: url.optional(),
  /** Beside a real AUTH0_DOMAIN a non-loopback AUTH0_MANAGEMENT_URL needs https and this flag. */
  AUTH0_MANAGEMENT_URL_ALLOW: bool.optional(),
  /** Applications besides the SPA whose user tokens the API accepts (comma-separated client ids). */
  AUTH0_ALLOWED_CLIENT_IDS: z.string().optional(),
  /** The "Customer admin" role's id; absent: looked up by name once (read:roles). */
  AUTH0_ADMIN_ROLE_ID: z
    .string()
    .regex(/^rol_[A-Za-z0-9]+$/, "must look like rol_…")
    .optional(),
  AUTH0_ADMIN_ROLE_NAME: z.string().min(1).default("Customer admin"),
  /** Reverse proxies in front of the BFF: a hop count, or IPs/CIDRs (docs/production.md). */
  TRUST_PROXY: z.string().optional(),
  AUTH0_DOMAIN: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d+)?$/i,
      "must be a bare host name such as acme.eu.auth0.com",
    )
    .optional(),
  /** The Management API audience; default https://<AUTH0_DOMAIN>/api/v2/, or <issuer>api/v2/ on the emulator. */
  AUTH0_MANAGEMENT_AUDIENCE: z.string().min(1).optional(),
  AUTH0_CLIENT_ID: z.string().min(1).default("guestlist-bff"),
  AUTH0_CLIENT_SECRET: z.string().min(1).default(LOCAL_CLIENT_SECRET),
  AUTH0_CONNECTION_ID: z
    .string()
    .regex(
      /^con_[A-Za-z0-9]{16}$/,
      "must look like con_ plus 16 letters/digits",
    )
    .default("con_GuestlistLocal01"),
  AUTH0_CONNECTION_NAME: z
    .string()
    .min(1)
    .default("Username-Password-Authentication"),
  AUTH0_AUDIENCE: z.string().min(1).default("https://guestlist.example/api"),
  AUTH0_SPA_CLIENT_ID: z.string().min(1).default("guestlist-spa"),
  /** Which Universal Login experience the tenant uses; auto = ask GET /api/v2/prompts (ADR 007). */
  AUTH0_UL_EXPERIENCE: z.enum(["auto", "new", "classic"]).default("auto"),
  /** How long the experience read from Auth0 is reused (auto only). */
  AUTH0_UL_EXPERIENCE_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(300),
  /** The application invitees use (its Auth0 client id); default AUTH0_SPA_CLIENT_ID. */
  INVITEE_APP_CLIENT_ID: z.string().min(1).optional(),
  /** That application's login route (its initiate_login_uri); default <PUBLIC_URL>/login. */
  INVITEE_APP_LOGIN_URL: url.optional(),
  AUTH0_RATE_LIMIT: z
    .enum(["enterprise", "enterprise-nonprod", "essentials", "free", "custom"])
    .default("enterprise"),
  AUTH0_RATE_LIMIT_BURST: z.coerce.number().positive().optional(),
  AUTH0_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().optional(),
  AUTH0_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  // Fair share of the budget (docs/decisions/009-fair-share-of-the-auth0-budget.md).
  AUTH0_INTERACTIVE_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30_000)
    .default(2_000),
  AUTH0_INVITEE_HEADROOM: z.coerce.number().min(0).optional(),
  TENANT_CLAIM: z.string().min(1).default("https://guestlist.example/tenant"),

  DATABASE_URL: z
    .union([
      z.literal("memory"),
      z.string().regex(/^postgres(ql)?:\/\//, "must be postgres://… or memory"),
    ])
    .optional(),
  // Connections per instance, and how long a query waits for a new one while the server is away
  // before the request gets 503 database_unavailable (docs/production.md, "Database outages").
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // The server runs all connections in one session: PGlite in its own process (src/db/pglite-server.ts,
  // docs/decisions/012-pglite-in-its-own-process.md). Forces a pool of one connection.
  DATABASE_SINGLE_SESSION: bool.optional(),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).default(5),
  DATA_DIR: z.string().min(1).default(resolve(REPO_ROOT, ".data")),
  SEED_TENANTS: bool.optional(),

  SMTP_URL: url.default("smtp://127.0.0.1:1025"),
  /** Opt-out of requiring TLS (STARTTLS or smtps) on a non-loopback SMTP server. */
  SMTP_ALLOW_PLAINTEXT: bool.optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .default("Guestlist <no-reply@guestlist.example>"),
  MEMBER_REMOVAL: z.enum(["delete", "block"]).default("delete"),
  MEMBERS_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(5).default(60),
  // The SMTP provider's limits (docs/production.md, "Email"): message starts per second (0 = no
  // limit; per BFF instance) and connections at once. SMTP_POOL_SIZE is the older name of the latter.
  SMTP_MAX_PER_SECOND: z.coerce.number().min(0).max(10_000).default(0),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  PIPELINE_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  PIPELINE_RECONCILE_GRACE_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .default(30),

  // The emails' look per deployment (docs/real-tenant.md).
  BRAND_PRODUCT_NAME: z.string().min(1).max(60).default("ExampleCo Analytics"),
  BRAND_COMPANY_NAME: z.string().min(1).max(80).default("ExampleCo"),
  BRAND_LOGO_URL: z
    .url({ protocol: /^https$/, error: "must be an https:// URL of an image" })
    .optional(),
  BRAND_COLOR: z
    .string()
    .regex(
      /^#[0-9a-f]{3}([0-9a-f]{3})?$/i,
      "must be a hex colour such as #2952cc",
    )
    .optional(),
  BRAND_FOOTER: z.string().min(1).max(300).optional(),
});

/** With a real tenant these have no safe default: the defaults are the local emulator's and catcher's. */
const REAL_TENANT_REQUIRED: Record<string, string> = {
  AUTH0_CLIENT_ID:
    "the Guestlist BFF application's client id (pnpm auth0:setup prints it)",
  AUTH0_CLIENT_SECRET: "the Guestlist BFF application's client secret",
  AUTH0_CONNECTION_ID:
    "the database connection's id, con_ plus 16 letters/digits (pnpm auth0:setup prints it)",
  AUTH0_SPA_CLIENT_ID: "the Guestlist SPA application's client id",
  PUBLIC_URL: "the URL people open Guestlist at; invitation links point there",
  SMTP_URL:
    "your SMTP server, e.g. smtp://user:password@smtp.example.com:587 (docs/production.md)",
  MAIL_FROM:
    'the sender, e.g. "Guestlist <no-reply@your-company.example>", on a domain your SMTP provider may send for',
};

export interface Config {
  readonly env: "development" | "production" | "test";
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly logLevel: string;
  readonly webDist: string;
  readonly tenantsFile: string;
  readonly seedTenants: boolean;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses/CIDRs */
  readonly trustProxy: false | number | string[];
  readonly auth0: {
    readonly issuer: string;
    readonly jwksUrl: string;
    readonly managementUrl: string | undefined;
    readonly domain: string;
    readonly managementAudience: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly connectionId: string;
    readonly connectionName: string;
    readonly audience: string;
    readonly spaClientId: string;
    /** client ids whose user tokens the API accepts: the SPA plus AUTH0_ALLOWED_CLIENT_IDS */
    readonly allowedClientIds: readonly string[];
    /** the "Customer admin" role: its id, or the name to look it up by */
    readonly adminRole: { readonly id?: string; readonly name: string };
    readonly tenantClaim: string;
    /** auto = read the tenant's experience from GET /api/v2/prompts (cached) */
    readonly ulExperience: "auto" | "new" | "classic";
    readonly ulExperienceCacheSeconds: number;
    readonly rateLimit: Readonly<RatePlan>;
    readonly maxRetries: number;
    /** longest wait for a budget token in an admin's or support's request before it answers 429 */
    readonly interactiveWaitMs: number;
    /** tokens of the shared budget only the invitee lane may spend; undefined = rate-budget.ts default */
    readonly inviteeHeadroom: number | undefined;
  };
  /** undefined → PGlite in `pgliteDir`; "memory" → in-memory PGlite; else a postgres:// URL */
  readonly databaseUrl: string | undefined;
  readonly pgliteDir: string | undefined;
  readonly databasePool: {
    readonly size: number;
    /** the server has one session for all connections (pglite-socket): size is 1 */
    readonly singleSession: boolean;
    readonly connectTimeoutMs: number;
  };
  readonly smtpUrl: string;
  /** refuse to send over a non-loopback SMTP connection without TLS (SMTP_ALLOW_PLAINTEXT=1 turns it off) */
  readonly smtpRequireTls: boolean;
  readonly mailFrom: string;
  readonly memberRemoval: "delete" | "block";
  readonly membersSyncIntervalSeconds: number;
  /** "the app invitees use": where accepted invitees sign in (ADR 007) */
  readonly inviteeApp: {
    readonly clientId: string;
    readonly loginUrl: string;
  };
  readonly pipeline: {
    readonly smtpPoolSize: number;
    /** message starts per second per instance; 0 = no limit */
    readonly smtpMaxPerSecond: number;
    readonly leaseMs: number;
    readonly reconcileGraceMs: number;
  };
  /** the emails' look (mail/invitation-email.ts Branding) */
  readonly branding: {
    readonly appName: string;
    readonly companyName: string;
    readonly logoUrl?: string;
    readonly accentColor?: string;
    readonly footer?: string;
  };
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
): Config {
  // Empty strings mean "unset" (a blank line in .env should not break the defaults).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const issues: string[] = [];
  const rateLimit = ratePlan(e, issues);
  const local = e.AUTH0_DOMAIN === undefined;
  const production = isProduction(e);
  if (production && local)
    // One actionable message: without AUTH0_DOMAIN everything below would be the public emulator's.
    throw new ConfigError([
      `AUTH0_DOMAIN: required in production (${production}). Without it the BFF would trust the local Auth0 emulator, its public client secret and the demo tenants. Set the Auth0 variables printed by pnpm auth0:setup (docs/real-tenant.md), or run locally with NODE_ENV=development and a localhost PUBLIC_URL.`,
    ]);
  if (!local)
    for (const [name, what] of Object.entries(REAL_TENANT_REQUIRED))
      if (!(name in cleaned))
        issues.push(
          `${name}: required with a real Auth0 tenant (AUTH0_DOMAIN is set): ${what}`,
        );
  if (production) {
    if (e.AUTH0_CLIENT_SECRET === LOCAL_CLIENT_SECRET)
      issues.push(
        "AUTH0_CLIENT_SECRET: the emulator's public secret cannot be used in production; use the Guestlist BFF application's secret",
      );
    if (e.SEED_TENANTS)
      issues.push(
        "SEED_TENANTS: the demo tenants are never seeded in production; create tenants through the API (docs/production.md)",
      );
  }
  if (!local && e.AUTH0_MANAGEMENT_URL)
    issues.push(
      ...managementUrlIssues(
        e.AUTH0_MANAGEMENT_URL,
        e.AUTH0_MANAGEMENT_URL_ALLOW,
      ),
    );
  if (e.DATABASE_SINGLE_SESSION) {
    if (!e.DATABASE_URL || e.DATABASE_URL === "memory")
      issues.push(
        "DATABASE_SINGLE_SESSION: needs DATABASE_URL=postgres://… of the single-session server (pnpm --filter @app/bff pglite-server prints it); in-process PGlite has no pool",
      );
    if ("DATABASE_POOL_SIZE" in cleaned && e.DATABASE_POOL_SIZE > 1)
      issues.push(
        `DATABASE_POOL_SIZE: must be 1 (or unset) with DATABASE_SINGLE_SESSION; the server runs every connection in one session, so ${e.DATABASE_POOL_SIZE} pooled connections would interleave statements inside each other's transactions`,
      );
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  // A real tenant's issuer is https://<domain>/ unless a custom domain is configured.
  const issuerUrl =
    !local && !("AUTH0_ISSUER_BASE_URL" in cleaned)
      ? `https://${e.AUTH0_DOMAIN ?? ""}/`
      : e.AUTH0_ISSUER_BASE_URL;
  const issuer = issuerUrl.endsWith("/") ? issuerUrl : `${issuerUrl}/`;
  const memory = e.DATABASE_URL === "memory";
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL.replace(/\/$/, ""),
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    tenantsFile: e.TENANTS_FILE,
    seedTenants: !production && (e.SEED_TENANTS ?? local),
    trustProxy,
    auth0: {
      issuer,
      jwksUrl: `${issuer}.well-known/jwks.json`,
      // No AUTH0_DOMAIN = the local emulator: the SDK gets a placeholder domain and an origin rewrite.
      managementUrl:
        e.AUTH0_MANAGEMENT_URL ?? (local ? "http://127.0.0.1:4010" : undefined),
      domain: e.AUTH0_DOMAIN ?? EMULATOR_DOMAIN,
      managementAudience:
        e.AUTH0_MANAGEMENT_AUDIENCE ??
        (local
          ? `${issuer}api/v2/`
          : `https://${e.AUTH0_DOMAIN ?? ""}/api/v2/`),
      clientId: e.AUTH0_CLIENT_ID,
      clientSecret: e.AUTH0_CLIENT_SECRET,
      connectionId: e.AUTH0_CONNECTION_ID,
      connectionName: e.AUTH0_CONNECTION_NAME,
      audience: e.AUTH0_AUDIENCE,
      spaClientId: e.AUTH0_SPA_CLIENT_ID,
      allowedClientIds: [
        ...new Set([
          e.AUTH0_SPA_CLIENT_ID,
          ...list(e.AUTH0_ALLOWED_CLIENT_IDS),
        ]),
      ],
      adminRole: {
        ...(e.AUTH0_ADMIN_ROLE_ID ? { id: e.AUTH0_ADMIN_ROLE_ID } : {}),
        name: e.AUTH0_ADMIN_ROLE_NAME,
      },
      tenantClaim: e.TENANT_CLAIM,
      ulExperience: e.AUTH0_UL_EXPERIENCE,
      ulExperienceCacheSeconds: e.AUTH0_UL_EXPERIENCE_CACHE_SECONDS,
      rateLimit: Object.freeze(rateLimit),
      maxRetries: e.AUTH0_MAX_RETRIES,
      interactiveWaitMs: e.AUTH0_INTERACTIVE_WAIT_MS,
      inviteeHeadroom: e.AUTH0_INVITEE_HEADROOM,
    },
    databaseUrl: memory ? undefined : e.DATABASE_URL,
    pgliteDir:
      memory || e.DATABASE_URL ? undefined : resolve(e.DATA_DIR, "bff-db"),
    databasePool: {
      size: e.DATABASE_SINGLE_SESSION ? 1 : e.DATABASE_POOL_SIZE,
      singleSession: e.DATABASE_SINGLE_SESSION ?? false,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
    },
    smtpUrl: e.SMTP_URL,
    smtpRequireTls: !e.SMTP_ALLOW_PLAINTEXT,
    mailFrom: e.MAIL_FROM,
    memberRemoval: e.MEMBER_REMOVAL,
    membersSyncIntervalSeconds: e.MEMBERS_SYNC_INTERVAL_SECONDS,
    inviteeApp: {
      clientId: e.INVITEE_APP_CLIENT_ID ?? e.AUTH0_SPA_CLIENT_ID,
      loginUrl:
        e.INVITEE_APP_LOGIN_URL ?? `${e.PUBLIC_URL.replace(/\/$/, "")}/login`,
    },
    pipeline: {
      smtpPoolSize: e.SMTP_MAX_CONNECTIONS ?? e.SMTP_POOL_SIZE,
      smtpMaxPerSecond: e.SMTP_MAX_PER_SECOND,
      leaseMs: e.PIPELINE_LEASE_SECONDS * 1000,
      reconcileGraceMs: e.PIPELINE_RECONCILE_GRACE_SECONDS * 1000,
    },
    branding: {
      appName: e.BRAND_PRODUCT_NAME,
      companyName: e.BRAND_COMPANY_NAME,
      ...(e.BRAND_LOGO_URL ? { logoUrl: e.BRAND_LOGO_URL } : {}),
      ...(e.BRAND_COLOR ? { accentColor: e.BRAND_COLOR } : {}),
      ...(e.BRAND_FOOTER ? { footer: e.BRAND_FOOTER } : {}),
    },
  };
  return deepFreeze(config);
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** localhost, *.localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    LOOPBACK_HOSTS.has(h) ||
    h.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(h)
  );
}

/** Why this is production (a truthy reason), or "" for a local run. */
function isProduction(e: z.infer<typeof Env>): string {
  if (e.NODE_ENV === "production") return "NODE_ENV=production";
  if (!isLoopbackHost(new URL(e.PUBLIC_URL).hostname))
    return `PUBLIC_URL ${e.PUBLIC_URL} is not localhost`;
  return "";
}

/**
 * The SDK sends its client-credentials request through the rewrite too, so the client secret would
 * cross a plain http hop: only loopback, or https with AUTH0_MANAGEMENT_URL_ALLOW=1.
 */
function managementUrlIssues(
  raw: string,
  allowed: boolean | undefined,
): string[] {
  const u = new URL(raw);
  if (isLoopbackHost(u.hostname)) return [];
  if (u.protocol === "https:" && allowed) return [];
  return [
    `AUTH0_MANAGEMENT_URL: beside a real AUTH0_DOMAIN it may only point at a loopback address; to send the Management API (and the client secret) elsewhere use an https:// URL and set AUTH0_MANAGEMENT_URL_ALLOW=1, or remove it`,
  ];
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** proxy-addr's names for address ranges (what Fastify's trustProxy understands besides IPs/CIDRs). */
const PROXY_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** TRUST_PROXY: a hop count ("1") or a list of IPs / CIDRs (e.g. "10.0.0.0/8,127.0.0.1"). */
function parseTrustProxy(
  raw: string | undefined,
  issues: string[],
): false | number | string[] {
  if (raw === undefined) return false;
  if (/^\d+$/.test(raw.trim())) {
    const hops = Number(raw.trim());
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const entries = list(raw);
    const bad = entries.filter((entry) => {
      if (PROXY_RANGES.has(entry)) return false;
      const [ip = "", bits, ...rest] = entry.split("/");
      const family = isIP(ip);
      if (family === 0 || rest.length > 0) return true;
      if (bits === undefined) return false;
      const n = Number(bits);
      return !/^\d+$/.test(bits) || n > (family === 4 ? 32 : 128);
    });
    if (entries.length > 0 && bad.length === 0) return entries;
  }
  issues.push(
    "TRUST_PROXY: must be a hop count from 1 to 10 or a comma-separated list of proxy IPs/CIDRs (e.g. 127.0.0.1 or 10.0.0.0/8); see docs/production.md",
  );
  return false;
}

function ratePlan(e: z.infer<typeof Env>, issues: string[]): RatePlan {
  if (e.AUTH0_RATE_LIMIT !== "custom") {
    const plan = RATE_LIMIT_PLANS[e.AUTH0_RATE_LIMIT];
    return {
      burst: e.AUTH0_RATE_LIMIT_BURST ?? plan.burst,
      perSecond: e.AUTH0_RATE_LIMIT_PER_SECOND ?? plan.perSecond,
    };
  }
  if (e.AUTH0_RATE_LIMIT_BURST === undefined)
    issues.push(
      "AUTH0_RATE_LIMIT_BURST: required when AUTH0_RATE_LIMIT=custom",
    );
  if (e.AUTH0_RATE_LIMIT_PER_SECOND === undefined)
    issues.push(
      "AUTH0_RATE_LIMIT_PER_SECOND: required when AUTH0_RATE_LIMIT=custom",
    );
  return {
    burst: e.AUTH0_RATE_LIMIT_BURST ?? 1,
    perSecond: e.AUTH0_RATE_LIMIT_PER_SECOND ?? 1,
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value))
    if (v && typeof v === "object") deepFreeze(v as object);
  return Object.freeze(value);
}

/** A config for tests: in-memory database, silent logs, emulator defaults, overridable. */
export function testConfig(
  env: Record<string, string | undefined> = {},
): Config {
  return loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: "memory",
    LOG_LEVEL: "silent",
    ...env,
  });
}
