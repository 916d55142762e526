// Which Universal Login experience the tenant uses decides the accept flow (ADR 007):
//   classic → two tickets with result_url callbacks (verify email, then set password);
//   new     → one password-change ticket with client_id, mark_email_as_verified and #type=invite;
//   unknown → the single-ticket flow (it works on both), after a logged warning.
// AUTH0_UL_EXPERIENCE=new|classic pins it; auto (default) reads GET /api/v2/prompts, cached.
import type { FastifyBaseLogger } from "fastify";
import type { Auth0, UniversalLoginExperience } from "../auth0/types.ts";

export type Experience = UniversalLoginExperience | "unknown";

export interface ExperienceResolver {
  get(): Promise<Experience>;
}

export const EXPERIENCE_CACHE_MS = 5 * 60_000;
/** After a failed read, ask again sooner (the scope may be granted meanwhile). */
const FAILURE_CACHE_MS = 60_000;

export function createExperienceResolver(
  auth0: Pick<Auth0, "getUniversalLoginExperience">,
  setting: "auto" | "new" | "classic",
  log: Pick<FastifyBaseLogger, "warn">,
  options: { cacheMs?: number; now?: () => number } = {},
): ExperienceResolver {
  const cacheMs = options.cacheMs ?? EXPERIENCE_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { value: Experience; until: number } | null = null;
  let inflight: Promise<Experience> | null = null;
  return {
    get() {
      if (setting !== "auto") return Promise.resolve(setting);
      if (cached && cached.until > now()) return Promise.resolve(cached.value);
      inflight ??= auth0
        .getUniversalLoginExperience()
        .then(
          (value): Experience => {
            cached = { value, until: now() + cacheMs };
            return value;
          },
          (error: unknown): Experience => {
            log.warn(
              { err: error },
              "Could not read the tenant's Universal Login experience (GET /api/v2/prompts; does the BFF's grant have read:prompts?). Using the single password-ticket accept flow, which works on both experiences.",
            );
            cached = { value: "unknown", until: now() + FAILURE_CACHE_MS };
            return "unknown";
          },
        )
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
  };
}
