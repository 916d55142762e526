// Start-up checks against a real Auth0 tenant: the BFF refuses to start (server.ts prints these and
// exits) when the tenant is not what Guestlist needs. Invite-only must really be invite-only, so
// sign-ups enabled is a refusal here, not the warning /api/health gives on the local emulator.
import type { Auth0 } from "../../auth0/types.ts";
import type { Config } from "../../config.ts";
import { AppError } from "../../errors.ts";

export async function preflightProblems(
  config: Config,
  auth0: Pick<Auth0, "getConnection">,
): Promise<string[]> {
  const { connectionId, connectionName, domain } = config.auth0;
  let connection: Awaited<ReturnType<Auth0["getConnection"]>>;
  try {
    connection = await auth0.getConnection();
  } catch (error) {
    const auth0Status =
      error instanceof AppError &&
      typeof error.details === "object" &&
      error.details !== null &&
      "auth0Status" in error.details
        ? error.details.auth0Status
        : null;
    if (error instanceof AppError && error.code === "not_found")
      return [
        `AUTH0_CONNECTION_ID: there is no connection ${connectionId} on ${domain} (Auth0 dashboard → Authentication → Database → your connection shows its id)`,
      ];
    if (auth0Status === 401 || auth0Status === 403)
      return [
        `AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET: Auth0 refused the BFF application (${String(auth0Status)}); check the secret and that it is granted read:connections and read:connections_options (pnpm auth0:setup grants them)`,
      ];
    return [
      `Auth0 at https://${domain} could not be reached to check the connection: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
  const problems: string[] = [];
  if (connection.disableSignup === null)
    problems.push(
      `the BFF application cannot see the options of connection ${connection.name}: grant it read:connections_options (Applications → APIs → Auth0 Management API → Machine to Machine Applications)`,
    );
  else if (!connection.disableSignup)
    problems.push(
      `sign-ups are ENABLED on connection ${connection.name}: anyone could create an account. Turn on "Disable Sign Ups" (Authentication → Database → ${connection.name}) or run pnpm auth0:setup`,
    );
  if (connection.name !== connectionName)
    problems.push(
      `AUTH0_CONNECTION_NAME is "${connectionName}" but connection ${connectionId} is named "${connection.name}": set AUTH0_CONNECTION_NAME=${connection.name}`,
    );
  return problems;
}
