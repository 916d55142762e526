// The shared budget learns from 429s, but not from a refused third import job: that 429 says the
// tenant runs two import jobs, not that the rate limit was hit, and must not stall every other call.
import { expect, test } from "vitest";
import { createManagementFetch } from "./management-fetch.ts";
import type { RateLimiter } from "./types.ts";

function setup(status: number, message: string) {
  const observed: number[] = [];
  const limiter: RateLimiter = {
    acquire: () => Promise.resolve(),
    tryAcquire: () => Promise.resolve({ granted: true }),
    observe: (s) => {
      observed.push(s);
      return Promise.resolve();
    },
  };
  const f = createManagementFetch({
    domain: "acme.auth0.test",
    managementUrl: undefined,
    limiter,
    rateLimitRetries: 0,
    fetchImpl: () =>
      Promise.resolve(
        new Response(JSON.stringify({ statusCode: status, message }), {
          status,
          headers: { "content-type": "application/json" },
        }),
      ),
  });
  return { f, observed };
}

test("a 429 refusing a third import job is passed on but not fed to the budget", async () => {
  const { f, observed } = setup(
    429,
    "There are already 2 active import jobs. Please wait until they finish and try again.",
  );
  const res = await f("https://acme.auth0.test/api/v2/jobs/users-imports", {
    method: "POST",
    body: new FormData(),
  });
  expect(res.status).toBe(429);
  expect(await res.json()).toMatchObject({ statusCode: 429 });
  expect(observed).toEqual([]);
});

test("a real rate-limit 429 still is", async () => {
  const { f, observed } = setup(429, "Global limit has been reached");
  const res = await f("https://acme.auth0.test/api/v2/jobs/users-imports", {
    method: "POST",
    body: new FormData(),
  });
  expect(res.status).toBe(429);
  expect(observed).toEqual([429]);
});
