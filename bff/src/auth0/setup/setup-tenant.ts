// `setupTenant(mgmt, desired)`: makes an Auth0 tenant match DesiredTenant, idempotently, and says
// per item what it did (created / updated / unchanged). The CLI (cli.ts) wires it to env and prints.
import type { ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import type { Change } from "./diff.ts";
import { ensureAction, type ActionOptions } from "./steps-action.ts";
import { ensureApi, ensureRoles } from "./steps-api.ts";
import { ensureApps } from "./steps-apps.ts";
import { ensureConnection } from "./steps-connection.ts";
import {
  checkLoginUrl,
  ensureInviteeApp,
  reportExperience,
} from "./steps-invitee-app.ts";

export type { Change } from "./diff.ts";

export interface SetupResult {
  changes: Change[];
  /** what the operator should know (the Universal Login experience) */
  notes: string[];
  /** "new" | "classic" as GET /api/v2/prompts says */
  universalLoginExperience: string;
  values: {
    spaClientId: string;
    bffClientId: string;
    bffClientSecret: string | undefined;
    connectionId: string;
    connectionName: string;
    audience: string;
    tenantClaim: string;
  };
}

export async function setupTenant(
  mgmt: ManagementClient,
  desired: DesiredTenant,
  options: ActionOptions = {},
): Promise<SetupResult> {
  const changes: Change[] = [];
  // Refuse before changing anything: Auth0 would reject a non-https login route halfway through.
  const login = checkLoginUrl(desired.inviteeApp.loginUrl);
  if (!login.ok && !login.local) throw new Error(login.message);
  // The API first: roles refer to its permissions.
  await ensureApi(mgmt, desired.api, changes);
  await ensureRoles(mgmt, desired, changes);
  const apps = await ensureApps(mgmt, desired, changes);
  await ensureAction(mgmt, desired.action, changes, options);
  const inviteeClientId = await ensureInviteeApp(
    mgmt,
    desired.inviteeApp,
    apps.spaClientId,
    changes,
  );
  const connection = await ensureConnection(
    mgmt,
    desired.connection,
    [apps.spaClientId, inviteeClientId],
    changes,
  );
  const { experience, note } = await reportExperience(mgmt, desired.inviteeApp);
  return {
    changes,
    notes: [note],
    universalLoginExperience: experience,
    values: {
      ...apps,
      connectionId: connection.id,
      connectionName: connection.name,
      audience: desired.api.identifier,
      tenantClaim: desired.tenantClaim,
    },
  };
}
