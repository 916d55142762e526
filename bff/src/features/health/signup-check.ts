// Invite-only is only invite-only when the Auth0 connection has "Disable Sign Ups" on. Read at
// start (and by /api/health, cached) and warn loudly in the log when it is not.
import type { FastifyBaseLogger } from "fastify";
import type { Auth0 } from "../../auth0/types.ts";

export const SIGNUPS_WARNING =
  "Sign-ups are ENABLED on the Auth0 connection: anyone can create an account. Turn on 'Disable Sign Ups' (options.disable_signup).";

export interface SignupCheck {
  /** true = sign-ups enabled (bad), false = disabled, null = not known yet */
  signupsEnabled(): boolean | null;
  /** when the last read failed: why */
  lastError(): string | null;
  refresh(): Promise<boolean | null>;
}

export function createSignupCheck(
  auth0: Auth0,
  log: FastifyBaseLogger,
  maxAgeMs = 30_000,
): SignupCheck {
  let enabled: boolean | null = null;
  let error: string | null = null;
  let readAt = 0;
  let inFlight: Promise<boolean | null> | null = null;

  async function read(): Promise<boolean | null> {
    try {
      const connection = await auth0.getConnection();
      error = null;
      readAt = Date.now();
      const next =
        connection.disableSignup === null ? null : !connection.disableSignup;
      if (next === true && enabled !== true)
        log.warn({ connection: connection.name }, SIGNUPS_WARNING);
      if (connection.disableSignup === null)
        log.warn(
          "Cannot see options.disable_signup: grant read:connections_options",
        );
      enabled = next;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      log.warn({ err: e }, "could not read the Auth0 connection");
      throw e;
    }
    return enabled;
  }

  return {
    signupsEnabled: () => enabled,
    lastError: () => error,
    refresh() {
      if (Date.now() - readAt < maxAgeMs && error === null && readAt > 0)
        return Promise.resolve(enabled);
      inFlight ??= read().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
