// The application invitees sign in to (default: the SPA). On New Universal Login, Auth0 ends a
// password-change or verification ticket that carries client_id with a "Back to <app name>" button
// leading to the client's initiate_login_uri (Auth0 docs: Send Email Invitations for Application Signup), so the client is named after the
// product and its login route is set. Auth0 accepts only https there: an http URL on localhost is
// skipped with a warning, any other http URL stops the set-up before it changes anything.
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import { differingKeys, type Change } from "./diff.ts";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export type LoginUrlCheck =
  { ok: true } | { ok: false; local: boolean; message: string };

export function checkLoginUrl(loginUrl: string): LoginUrlCheck {
  const url = new URL(loginUrl);
  if (url.protocol === "https:") return { ok: true };
  const local =
    LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost");
  return {
    ok: false,
    local,
    message: `Auth0 requires the invitee app's login route (initiate_login_uri) to be https, but it would be ${loginUrl} (INVITEE_APP_LOGIN_URL, default PUBLIC_URL/login). ${
      local
        ? 'Left unset on this local set-up: after a password reset, New Universal Login shows no "Back to" button (or the tenant\'s default login route).'
        : "Set PUBLIC_URL (or INVITEE_APP_LOGIN_URL) to the https address invitees use, then run pnpm auth0:setup again."
    }`,
  };
}

export async function ensureInviteeApp(
  mgmt: ManagementClient,
  d: DesiredTenant["inviteeApp"],
  spaClientId: string,
  changes: Change[],
): Promise<string> {
  const clientId = d.clientId ?? spaClientId;
  let current: Management.GetClientResponseContent;
  try {
    current = await mgmt.clients.get(clientId);
  } catch (error) {
    throw new Error(
      `invitee application ${clientId} (INVITEE_APP_CLIENT_ID) not found on the tenant`,
      { cause: error },
    );
  }
  const check = checkLoginUrl(d.loginUrl);
  const wanted: Record<string, unknown> = { name: d.name };
  if (check.ok) wanted.initiate_login_uri = d.loginUrl;
  const item = `invitee application "${d.name}"`;
  const keys = differingKeys(current, wanted);
  if (keys.length > 0) await mgmt.clients.update(clientId, wanted);
  changes.push(
    keys.length > 0
      ? {
          item,
          action: "updated",
          detail: `${clientId}: ${keys.map((k) => `${k} = ${String(wanted[k])}`).join(", ")}`,
        }
      : { item, action: "unchanged" },
  );
  if (!check.ok)
    changes.push({
      item: `login route of "${d.name}"`,
      action: "skipped",
      detail: check.message,
    });
  return clientId;
}

/** Reports (never changes) the tenant's Universal Login experience: it decides what tickets do. */
export async function reportExperience(
  mgmt: ManagementClient,
  d: DesiredTenant["inviteeApp"],
): Promise<{ experience: string; note: string }> {
  const settings = await mgmt.prompts.getSettings();
  const experience = settings.universal_login_experience ?? "unknown";
  const note =
    experience === "classic"
      ? "Universal Login experience: classic. Tickets redirect to their result_url after the invitee sets a password."
      : experience === "new"
        ? `Universal Login experience: new. After the invitee sets a password, Auth0 shows a "Back to ${d.name}" button that opens the invitee app's login route (${d.loginUrl}); result_url is ignored.`
        : `Universal Login experience: ${experience} (not reported by Auth0).`;
  return { experience, note };
}
