// The only reader of import.meta.env. Public values only: the SPA ships them to every browser.
// Validated by hand rather than with zod so the landing page's bundle stays small.

export type WebConfig = Readonly<{
  /** Full URL of the Auth0 tenant (or emulator); spa-js keeps an explicit http:// scheme. */
  auth0Domain: string;
  auth0ClientId: string;
  auth0Audience: string;
}>;

const DEFAULTS: WebConfig = {
  auth0Domain: "http://localhost:4010",
  auth0ClientId: "guestlist-spa",
  auth0Audience: "https://guestlist.example/api",
};

/** Empty strings count as unset so that `VITE_AUTH0_DOMAIN=` in a .env file keeps the default. */
function value(
  env: Record<string, unknown>,
  name: string,
  fallback: string,
): string {
  const raw = env[name];
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : fallback;
}

export function loadConfig(env: Record<string, unknown>): WebConfig {
  const config: WebConfig = {
    auth0Domain: value(env, "VITE_AUTH0_DOMAIN", DEFAULTS.auth0Domain),
    auth0ClientId: value(env, "VITE_AUTH0_CLIENT_ID", DEFAULTS.auth0ClientId),
    auth0Audience: value(env, "VITE_AUTH0_AUDIENCE", DEFAULTS.auth0Audience),
  };
  const problems: string[] = [];
  if (/\s/.test(config.auth0Domain) || /\/$/.test(config.auth0Domain)) {
    problems.push(
      "VITE_AUTH0_DOMAIN: a host or URL without spaces or a trailing slash",
    );
  }
  if (/\s/.test(config.auth0ClientId))
    problems.push("VITE_AUTH0_CLIENT_ID: must not contain spaces");
  if (/\s/.test(config.auth0Audience))
    problems.push("VITE_AUTH0_AUDIENCE: must not contain spaces");
  if (problems.length > 0)
    throw new Error(`Invalid web configuration: ${problems.join("; ")}`);
  return Object.freeze(config);
}

export const config: WebConfig = loadConfig(import.meta.env);
