// Client (application) settings checks shared by /authorize, /oauth/token, /v2/logout and CORS.
import type { EmuClient, Store } from "../store/index.ts";

/** URL equality as Auth0's allow-lists apply it: scheme, host, port and path; "https://a" = "https://a/". */
export function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

export function isAllowedCallback(
  client: EmuClient,
  redirectUri: string,
): boolean {
  return (client.callbacks ?? []).some((allowed) =>
    sameUrl(allowed, redirectUri),
  );
}

export function isAllowedLogoutUrl(
  client: EmuClient,
  returnTo: string,
): boolean {
  return (client.allowed_logout_urls ?? []).some((allowed) =>
    sameUrl(allowed, returnTo),
  );
}

/** Origins from every client's "Allowed Web Origins" (CORS for /oauth/token and /userinfo). */
export function allowedWebOrigins(store: Store): Set<string> {
  const origins = new Set<string>();
  for (const client of store.clients.list()) {
    for (const origin of client.web_origins ?? []) {
      try {
        origins.add(new URL(origin).origin);
      } catch {
        // a malformed entry allows nothing
      }
    }
  }
  return origins;
}
