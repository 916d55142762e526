// The ManagementClient of the set-up: the bootstrap M2M credentials, the emulator origin rewrite
// when AUTH0_MANAGEMENT_URL is set (the adapter's management-fetch.ts), generous 429 retries.
import { ManagementClient } from "auth0";
import { createManagementFetch } from "../management-fetch.ts";
import type { SetupConfig } from "./config.ts";
import type { Change } from "./diff.ts";

export function managementClientFor(
  config: SetupConfig,
  fetchImpl?: typeof fetch,
): ManagementClient {
  return new ManagementClient({
    domain: config.domain,
    audience: config.managementAudience,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    // the SDK waits out 429s (X-RateLimit-Reset) and 5xx; set-up calls are all safe to repeat
    maxRetries: 5,
    fetch: createManagementFetch({
      domain: config.domain,
      managementUrl: config.managementUrl,
      limiter: undefined,
      ...(fetchImpl ? { fetchImpl } : {}),
    }),
  });
}

export function formatChange(c: Change): string {
  return `${c.action.padEnd(9)} ${c.item}${c.detail ? ` (${c.detail})` : ""}`;
}
