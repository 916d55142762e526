// @vitest-environment jsdom
// @vitest-environment-options { "url": "http://localhost:3000/" }
//
// The honesty check: the REAL @auth0/auth0-spa-js 2.27.0 (what @auth0/auth0-react uses) logs in
// against the emulator over HTTP, accepts its token responses (ID token checks: iss, aud, azp,
// nonce, RS256) and refreshes with rotation.
import { Auth0Client } from "@auth0/auth0-spa-js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";

const API = "https://guestlist.example/api";
const PASSWORD = "correct-horse-battery-staple";
let emu: RunningEmulator;
/** bodies spa-js sent to /oauth/token (observed at the network edge, not mocked) */
const tokenRequests: URLSearchParams[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, bcryptRounds: 4 });
  globalThis.fetch = (input, init) => {
    const url =
      typeof input === "string"
        ? input
        : input instanceof URL
          ? input.href
          : input.url;
    if (url.endsWith("/oauth/token") && typeof init?.body === "string")
      tokenRequests.push(new URLSearchParams(init.body));
    return realFetch(input, init);
  };
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await emu.close();
});

/** What the browser does between loginWithRedirect and the callback: show the form, submit it. */
async function signInThroughLoginPage(
  authorizeUrl: string,
  email: string,
): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  expect(page.status).toBe(200);
  const html = await page.text();
  const loginId = /name="login" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const res = await fetch(`${emu.url}/u/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      login: loginId,
      email,
      password: PASSWORD,
    }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return res.headers.get("location") ?? "";
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("spa-js returned no token");
  return value;
}

function newClient(): Auth0Client {
  return new Auth0Client({
    domain: emu.url,
    clientId: "guestlist-spa",
    authorizationParams: {
      redirect_uri: "http://localhost:3000",
      audience: API,
    },
    useRefreshTokens: true,
    cacheLocation: "memory",
  });
}

test("auth0-spa-js logs in, reads the user, and refreshes with rotation", async () => {
  const client = newClient();
  let authorizeUrl = "";
  await client.loginWithRedirect({
    openUrl: (url) => {
      authorizeUrl = url;
    },
  });
  const sent = new URL(authorizeUrl);
  expect(sent.origin).toBe(emu.url);
  expect(sent.pathname).toBe("/authorize");
  expect(sent.searchParams.get("code_challenge_method")).toBe("S256");
  expect(sent.searchParams.get("scope")).toContain("offline_access");

  const callbackUrl = await signInThroughLoginPage(
    authorizeUrl,
    "admin@acme.test",
  );
  expect(callbackUrl.startsWith("http://localhost:3000")).toBe(true);

  // token exchange (form body, Auth0-Client header) + every ID token check of spa-js
  await client.handleRedirectCallback(callbackUrl);
  expect(await client.isAuthenticated()).toBe(true);
  const user = await client.getUser();
  expect(user).toMatchObject({
    email: "admin@acme.test",
    given_name: "Ada",
    sub: "auth0|65a000000000000000000001",
  });

  const first = must(await client.getTokenSilently({ detailedResponse: true }));
  expect(first.id_token).toBeTruthy();
  const claims = JSON.parse(
    Buffer.from(first.access_token.split(".")[1] ?? "", "base64url").toString(),
  ) as Record<string, unknown>;
  expect(claims["https://guestlist.example/tenant"]).toBe("acme");
  expect(claims.permissions).toContain("invite:members");

  // refresh grant, twice: the second only works if spa-js stored the rotated refresh token
  const second = must(await client.getTokenSilently({ cacheMode: "off" }));
  const third = must(await client.getTokenSilently({ cacheMode: "off" }));
  // (tokens minted in the same second are byte-identical, so compare the refresh requests instead)
  expect(second.split(".")).toHaveLength(3);
  expect(third.split(".")).toHaveLength(3);
  const refreshes = tokenRequests.filter(
    (b) => b.get("grant_type") === "refresh_token",
  );
  expect(refreshes).toHaveLength(2);
  expect(refreshes[0]?.get("refresh_token")).not.toBe(
    refreshes[1]?.get("refresh_token"),
  );
  expect(tokenRequests[0]?.get("grant_type")).toBe("authorization_code");
  expect(tokenRequests[0]?.get("code_verifier")).toBeTruthy();
});

test("auth0-spa-js surfaces a bad callback state as an error", async () => {
  const client = newClient();
  await expect(
    client.handleRedirectCallback(
      "http://localhost:3000/?code=abc&state=forged",
    ),
  ).rejects.toThrow();
});
