// The `.env` lines the BFF and the web build need after a set-up run.
import type { SetupConfig } from "./config.ts";
import type { SetupResult } from "./setup-tenant.ts";

export function envLines(
  config: SetupConfig,
  result: SetupResult,
  showSecret: boolean,
): string[] {
  const v = result.values;
  const secret =
    v.bffClientSecret && showSecret
      ? v.bffClientSecret
      : "<the Guestlist BFF application's Client Secret: Auth0 dashboard → Applications → Guestlist BFF → Settings>";
  const webDomain = config.issuer.replace(/\/+$/, "");
  return [
    "# --- BFF (.env) ---",
    ...(config.managementUrl
      ? [`AUTH0_MANAGEMENT_URL=${config.managementUrl}`]
      : [`AUTH0_DOMAIN=${config.domain}`]),
    `AUTH0_ISSUER_BASE_URL=${config.issuer}`,
    `AUTH0_CLIENT_ID=${v.bffClientId}`,
    `AUTH0_CLIENT_SECRET=${secret}`,
    `AUTH0_CONNECTION_ID=${v.connectionId}`,
    `AUTH0_CONNECTION_NAME=${v.connectionName}`,
    `AUTH0_AUDIENCE=${v.audience}`,
    `AUTH0_SPA_CLIENT_ID=${v.spaClientId}`,
    `TENANT_CLAIM=${v.tenantClaim}`,
    `PUBLIC_URL=${config.publicUrl}`,
    "# and for production: DATABASE_URL, SMTP_URL, MAIL_FROM (docs/production.md)",
    "# --- web (read when the SPA is built) ---",
    `VITE_AUTH0_DOMAIN=${webDomain}`,
    `VITE_AUTH0_CLIENT_ID=${v.spaClientId}`,
    `VITE_AUTH0_AUDIENCE=${v.audience}`,
  ];
}
