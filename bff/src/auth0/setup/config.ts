// The set-up command's configuration (the only reader of process.env for it). Every bad variable is
// reported at once, like the BFF's own config.
import { z } from "zod";

const url = z.url({
  error: "must be a full URL such as https://app.example.com",
});

const Env = z.object({
  AUTH0_DOMAIN: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d+)?$/i,
      "must be a bare host name such as acme.eu.auth0.com",
    )
    .optional(),
  /** http emulator instead of https://AUTH0_DOMAIN (local try-out and tests) */
  AUTH0_MANAGEMENT_URL: url.optional(),
  AUTH0_MANAGEMENT_AUDIENCE: z.string().min(1).optional(),
  /** a custom domain, if the tenant uses one; default https://AUTH0_DOMAIN/ */
  AUTH0_ISSUER_BASE_URL: url.optional(),
  AUTH0_SETUP_CLIENT_ID: z.string({
    error:
      "required: the client id of the set-up M2M application (docs/real-tenant.md)",
  }),
  AUTH0_SETUP_CLIENT_SECRET: z.string({
    error: "required: the client secret of the set-up M2M application",
  }),
  PUBLIC_URL: url.default("http://localhost:3000"),
  /** more SPA URLs (comma-separated), e.g. the Vite dev server http://localhost:5173 */
  AUTH0_SETUP_EXTRA_URLS: z.string().optional(),
  AUTH0_AUDIENCE: z.string().min(1).optional(),
  TENANT_CLAIM: z
    .url({
      error:
        "must be a namespaced URL such as https://guestlist.example/tenant",
    })
    .optional(),
  AUTH0_SPA_CLIENT_ID: z.string().min(1).optional(),
  AUTH0_CONNECTION_ID: z
    .string()
    .regex(
      /^con_[A-Za-z0-9]{16}$/,
      "must look like con_ plus 16 letters/digits",
    )
    .optional(),
  AUTH0_CONNECTION_NAME: z.string().min(1).optional(),
  /** the application invitees sign in to; default the SPA (AUTH0_SPA_CLIENT_ID or the one set up) */
  INVITEE_APP_CLIENT_ID: z.string().min(1).optional(),
  /** its login route (initiate_login_uri, must be https); default PUBLIC_URL/login */
  INVITEE_APP_LOGIN_URL: url.optional(),
  /** the name the invitee app gets (New UL shows "Back to <name>") */
  BRAND_PRODUCT_NAME: z.string().min(1).max(60).default("ExampleCo Analytics"),
});

export interface SetupConfig {
  domain: string;
  managementUrl: string | undefined;
  managementAudience: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  publicUrl: string;
  extraUrls: string[];
  audience: string | undefined;
  tenantClaim: string | undefined;
  spaClientId: string | undefined;
  connectionId: string | undefined;
  connectionName: string | undefined;
  inviteeAppClientId: string | undefined;
  inviteeAppLoginUrl: string;
  productName: string;
}

export function loadSetupConfig(
  env: Record<string, string | undefined> = process.env,
): SetupConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = Env.safeParse(cleaned);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (
    parsed.success &&
    !parsed.data.AUTH0_DOMAIN &&
    !parsed.data.AUTH0_MANAGEMENT_URL
  )
    issues.push("AUTH0_DOMAIN: required (your tenant, e.g. acme.eu.auth0.com)");
  if (!parsed.success || issues.length > 0)
    throw new Error(
      `Invalid set-up configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`,
    );
  const e = parsed.data;
  const managementUrl = e.AUTH0_MANAGEMENT_URL?.replace(/\/+$/, "");
  // The SDK always speaks https to the domain; for the emulator it gets a placeholder and a rewrite.
  const domain = e.AUTH0_DOMAIN ?? "emulator.local";
  const base = managementUrl ?? `https://${domain}`;
  return {
    domain,
    managementUrl,
    managementAudience: e.AUTH0_MANAGEMENT_AUDIENCE ?? `${base}/api/v2/`,
    issuer: e.AUTH0_ISSUER_BASE_URL ?? `${base}/`,
    clientId: e.AUTH0_SETUP_CLIENT_ID,
    clientSecret: e.AUTH0_SETUP_CLIENT_SECRET,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ""),
    extraUrls: (e.AUTH0_SETUP_EXTRA_URLS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    audience: e.AUTH0_AUDIENCE,
    tenantClaim: e.TENANT_CLAIM,
    spaClientId: e.AUTH0_SPA_CLIENT_ID,
    connectionId: e.AUTH0_CONNECTION_ID,
    connectionName: e.AUTH0_CONNECTION_NAME,
    inviteeAppClientId: e.INVITEE_APP_CLIENT_ID,
    inviteeAppLoginUrl:
      e.INVITEE_APP_LOGIN_URL ?? `${e.PUBLIC_URL.replace(/\/+$/, "")}/login`,
    productName: e.BRAND_PRODUCT_NAME,
  };
}
