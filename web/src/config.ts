// The only reader of import.meta.env. Public values only: the SPA ships them to every browser.
import { z } from "zod";

const WebConfig = z.object({
  auth0Domain: z.string().min(1).default("http://localhost:4010"),
  auth0ClientId: z.string().min(1).default("guestlist-spa"),
  auth0Audience: z.string().min(1).default("https://guestlist.example/api"),
});
export type WebConfig = z.infer<typeof WebConfig>;

/** Empty strings count as unset so that `VITE_AUTH0_DOMAIN=` in a .env file keeps the default. */
function unsetIfEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function loadConfig(env: Record<string, string | undefined>): WebConfig {
  const parsed = WebConfig.safeParse({
    auth0Domain: unsetIfEmpty(env.VITE_AUTH0_DOMAIN),
    auth0ClientId: unsetIfEmpty(env.VITE_AUTH0_CLIENT_ID),
    auth0Audience: unsetIfEmpty(env.VITE_AUTH0_AUDIENCE),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid web configuration: ${problems}`);
  }
  return Object.freeze(parsed.data);
}

export const config: WebConfig = loadConfig(import.meta.env as Record<string, string | undefined>);
