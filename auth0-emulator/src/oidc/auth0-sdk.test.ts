// The real `auth0` SDK (7.1.0) gets its Management API token from the emulator: the SDK speaks
// https to `domain`, so its `fetch` option rewrites the origin (auth0 SDK 7.1.0 ManagementClient `fetch` option).
import { ManagementError, TokenProvider } from "auth0";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";

let emu: RunningEmulator;
const tokenCalls: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, bcryptRounds: 4 });
});
afterAll(async () => {
  await emu.close();
});

const viaEmulator: typeof fetch = (input, init) => {
  const url =
    typeof input === "string"
      ? input
      : input instanceof URL
        ? input.href
        : input.url;
  const rewritten = url.replace(/^https:\/\/tenant\.test/, emu.url);
  if (rewritten.endsWith("/oauth/token"))
    tokenCalls.push(typeof init?.body === "string" ? init.body : "");
  return fetch(rewritten, init);
};

function provider(clientSecret: string): TokenProvider {
  return new TokenProvider({
    domain: "tenant.test",
    clientId: "guestlist-bff",
    clientSecret,
    audience: `${emu.url}/api/v2/`,
    fetch: viaEmulator,
  });
}

describe("auth0 SDK client credentials", () => {
  test("obtains and caches a Management API token", async () => {
    const tokens = provider("guestlist-bff-local-secret");
    const token = await tokens.getAccessToken();
    const jwks = createRemoteJWKSet(
      new URL(`${emu.url}/.well-known/jwks.json`),
    );
    const { payload } = await jwtVerify(token, jwks, {
      issuer: `${emu.url}/`,
      audience: `${emu.url}/api/v2/`,
    });
    expect(payload).toMatchObject({
      sub: "guestlist-bff@clients",
      aud: `${emu.url}/api/v2/`,
      gty: "client-credentials",
    });
    expect(String(payload.scope)).toContain("create:user_tickets");
    expect(await tokens.getAccessToken()).toBe(token);
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]).toContain("grant_type=client_credentials");
  });

  test("a wrong secret surfaces as a 401 ManagementError", async () => {
    const error: unknown = await provider("wrong-secret")
      .getAccessToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).statusCode).toBe(401);
  });
});
