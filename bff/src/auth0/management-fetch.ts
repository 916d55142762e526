// The fetch the ManagementClient uses: (1) rewrites https://<domain> to AUTH0_MANAGEMENT_URL when
// set (the http emulator; auth0-facts.md §10), (2) passes every /api/v2 call through the shared
// rate budget, charged to the caller's lane (lanes.ts), and feeds the X-RateLimit-* headers back,
// (3) waits out a 429 and tries again, except for import-job creation, which is never repeated (a
// repeat could create a second job).
import { currentLane } from "./lanes.ts";
import { isDatabaseUnavailable } from "../errors.ts";
import { isImportJobsBusyMessage } from "./map-error.ts";
import type { RateLimiter } from "./types.ts";

export interface ManagementFetchOptions {
  domain: string;
  managementUrl: string | undefined;
  limiter: RateLimiter | undefined;
  /** extra attempts after a 429 (safe: Auth0 did not process the request); default 4 */
  rateLimitRetries?: number;
  fetchImpl?: typeof fetch;
}

const NEVER_REPEAT = /\/api\/v2\/jobs\/users-imports\/?$/;

function urlOf(input: string | URL | Request): string {
  return typeof input === "string"
    ? input
    : input instanceof URL
      ? input.href
      : input.url;
}

export function createManagementFetch(
  options: ManagementFetchOptions,
): typeof fetch {
  const base = options.fetchImpl ?? fetch;
  const from = `https://${options.domain}`;
  const to = options.managementUrl?.replace(/\/$/, "");
  const retries = options.rateLimitRetries ?? 4;

  return async (input, init) => {
    let url = urlOf(input);
    if (to && url.startsWith(from)) url = to + url.slice(from.length);
    const managed = new URL(url).pathname.startsWith("/api/v2/");
    const limiter = managed ? options.limiter : undefined;
    const repeatable =
      !NEVER_REPEAT.test(new URL(url).pathname) &&
      (init?.body === undefined || typeof init.body === "string");
    const { lane, deadline } = currentLane();
    for (let attempt = 0; ; attempt++) {
      // When the lane's share would make us wait beyond the request's deadline, this throws
      // AppError rate_limited (with Retry-After). The SDK does not retry a thrown error, and the
      // adapter (map-error.ts) rethrows it as is: the caller answers 429 instead of hanging.
      await limiter?.acquire(1, {
        lane,
        ...(deadline === undefined
          ? {}
          : { maxWaitMs: Math.max(0, deadline - Date.now()) }),
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      const response = await base(url, init);
      // "Too many active import jobs" is not the rate limit: it must not stall every other call.
      // Auth0 has answered: a database outage while the budget learns from the answer must not
      // turn a created import job into an error (docs/decisions/008-database-outages.md).
      if (!(await isImportJobsRefusal(response, repeatable)))
        await limiter
          ?.observe(response.status, response.headers)
          .catch((error: unknown) => {
            if (!isDatabaseUnavailable(error)) throw error;
          });
      if (
        response.status !== 429 ||
        !limiter ||
        !repeatable ||
        attempt >= retries
      )
        return response;
      await response.body?.cancel();
    }
  };
}

async function isImportJobsRefusal(
  response: Response,
  repeatable: boolean,
): Promise<boolean> {
  if (repeatable || response.status !== 429) return false;
  try {
    const body: unknown = await response.clone().json();
    return (
      typeof body === "object" &&
      body !== null &&
      "message" in body &&
      typeof body.message === "string" &&
      isImportJobsBusyMessage(body.message)
    );
  } catch {
    return false;
  }
}
