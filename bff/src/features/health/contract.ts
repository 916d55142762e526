// GET /api/health: liveness plus readiness of the things the BFF depends on (public, statuses only);
// GET /api/health/details: the same with the reasons, for support staff. Imports only zod.
import { z } from "zod";

export const CheckStatus = z.enum(["ok", "down", "skipped"]);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** Public: no message (it would name internal hosts and ports). */
export const PublicCheck = z.object({ status: CheckStatus });

export const Check = z.object({
  status: CheckStatus,
  message: z.string().optional(),
});
export type Check = z.infer<typeof Check>;

export const Health = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ db: PublicCheck, auth0: PublicCheck, smtp: PublicCheck }),
});
export type Health = z.infer<typeof Health>;

export const HealthDetails = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ db: Check, auth0: Check, smtp: Check }),
  /**
   * true when the Auth0 connection still allows public sign-ups (`disable_signup` not true):
   * then invite-only is not invite-only. null = not known yet.
   */
  signupsEnabled: z.boolean().nullable(),
  warnings: z.array(z.string()),
  /** when these checks ran (ISO); they are reused for CHECK_CACHE_MS */
  checkedAt: z.string(),
});
export type HealthDetails = z.infer<typeof HealthDetails>;

/** GET /api/health/live: the process answers; no dependency is touched. */
export const Live = z.object({ status: z.literal("up") });
export type Live = z.infer<typeof Live>;
