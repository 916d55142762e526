// The seeded people the specs act as (auth0-emulator/README.md, Seed; local emulator only) and the
// files holding each one's signed-in browser state (https://playwright.dev/docs/auth).
import { resolve } from "node:path";

export const SEED_PASSWORD = "correct-horse-battery-staple";

export const ROLES = {
  /** Customer admin of Acme Corp (50 seats). */
  acmeAdmin: "admin@acme.test",
  /** Customer admin of Globex (10 seats). */
  globexAdmin: "admin@globex.test",
  /** ExampleCo support: every tenant. */
  support: "support@exampleco.test",
} as const;

export type Role = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/**
 * `storageState` of a role, written by setup/sign-in.setup.ts through the real login page:
 * the app origin's localStorage (the Auth0 SDK's token cache, `cacheLocation="localstorage"`)
 * and cookies (the SDK's `is.authenticated` hint, the emulator's session). Gitignored.
 */
export function authFile(role: Role): string {
  return resolve(import.meta.dirname, "..", ".auth", `${role}.json`);
}
