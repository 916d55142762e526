// The fetch the ManagementClient uses: (1) rewrites https://<domain> to AUTH0_MANAGEMENT_URL when
// set (the http emulator; auth0-facts.md §10), (2) passes every /api/v2 call through the shared
// rate budget and feeds the X-RateLimit-* headers back, (3) waits out a 429 and tries again,
// except for import-job creation, which is never repeated (a repeat could create a second job).
import { AppError, isDatabaseUnavailable } from "../errors.ts";
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
    for (let attempt = 0; ; attempt++) {
      try {
        await limiter?.acquire(1, init?.signal ? { signal: init.signal } : {});
      } catch (error) {
        // The budget would make us wait too long: answer like Auth0 would, so the SDK raises a 429.
        if (error instanceof AppError && error.code === "rate_limited")
          return budgetExhausted(error.retryAfterSeconds ?? 1);
        throw error;
      }
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

function budgetExhausted(retryAfterSeconds: number): Response {
  const body = {
    statusCode: 429,
    error: "Too Many Requests",
    message: "Guestlist's shared Auth0 rate budget is exhausted",
    errorCode: "guestlist_rate_budget",
  };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: {
      "content-type": "application/json",
      "x-ratelimit-reset": String(
        Math.ceil(Date.now() / 1000 + retryAfterSeconds),
      ),
      "x-ratelimit-remaining": "0",
    },
  });
}
