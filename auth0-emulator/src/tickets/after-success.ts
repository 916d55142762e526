// What a ticket page offers after success on New Universal Login (auth0-facts.md §14; Auth0 article
// "Conditionally Redirect Users After a Password Reset in New Universal Login"): never a redirect,
// but a "Back to <application name>" button whose target is, in order,
//   (a) the URL a bound `password-reset-post-challenge` Action set with
//       `api.transaction.setResultUrl(url)` (password tickets only; the Action sees the ticket URL's
//       custom query parameters as `event.request.query`),
//   (b) the ticket's `client_id` application's default login route (`initiate_login_uri`),
//   (c) the tenant's default login route (`default_redirection_uri`, PATCH /tenants/settings),
//   (d) otherwise no button.
import { boundActions, compileAction } from "../oidc/post-login.ts";
import type { EmuTicket, EmuUser, Store } from "../store/index.ts";

export const POST_CHALLENGE_TRIGGER = "password-reset-post-challenge";

export interface BackLink {
  href: string;
  label: string;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:"
      ? url.toString()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the Actions bound to password-reset-post-challenge (deployed versions, binding order) and
 * returns the last result URL they set, if any. An Action that throws fails the page (as on Auth0,
 * where the flow stops with an error).
 */
export async function runPostChallenge(
  store: Store,
  ticket: EmuTicket,
  user: EmuUser,
  query: Record<string, string>,
  ip: string,
): Promise<string | undefined> {
  let resultUrl: string | undefined;
  const client = ticket.client_id
    ? store.clients.get(ticket.client_id)
    : undefined;
  for (const bound of boundActions(store, POST_CHALLENGE_TRIGGER)) {
    const handler = compileAction(bound.code, "onExecutePostChallenge");
    if (!handler) continue;
    const event = structuredClone({
      user: {
        user_id: user.user_id,
        email: user.email,
        email_verified: user.email_verified,
        name: user.name,
        nickname: user.nickname,
        picture: user.picture,
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
        created_at: user.created_at,
        logins_count: user.logins_count,
      },
      client: client
        ? { client_id: client.client_id, name: client.name, metadata: {} }
        : undefined,
      connection: { name: user.connection, strategy: "auth0" },
      request: { query, ip, method: "GET" },
      secrets: bound.secrets,
    });
    const api = {
      transaction: {
        setResultUrl: (url: unknown) => {
          const ok = httpUrl(url);
          if (ok) resultUrl = ok;
        },
      },
    };
    await handler(event, api);
  }
  return resultUrl;
}

/** The button of a successful New-UL ticket page, or undefined for none (d). */
export function backLink(
  store: Store,
  ticket: EmuTicket,
): BackLink | undefined {
  const client = ticket.client_id
    ? store.clients.get(ticket.client_id)
    : undefined;
  const appName = client?.name || "the application";
  const label = `Back to ${appName}`;
  if (ticket.kind === "password-change" && ticket.action_result_url)
    return { href: ticket.action_result_url, label };
  const loginRoute = httpUrl(client?.settings?.initiate_login_uri);
  if (loginRoute) return { href: loginRoute, label };
  const tenantRoute = httpUrl(store.tenant.settings.default_redirection_uri);
  if (tenantRoute) return { href: tenantRoute, label };
  return undefined;
}
