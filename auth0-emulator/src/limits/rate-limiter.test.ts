import { describe, expect, test } from "vitest";
import { RateLimiter } from "./rate-limiter.ts";

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("RateLimiter", () => {
  test("enterprise default: burst 50, then 429 until tokens refill at 16/s", () => {
    const c = clock();
    const rl = new RateLimiter(c.now);
    for (let i = 0; i < 50; i++)
      expect(rl.take("GET", "/api/v2/users").allowed).toBe(true);
    const denied = rl.take("GET", "/api/v2/users");
    expect(denied).toMatchObject({ allowed: false, limit: 50, remaining: 0 });
    c.advance(1000 / 16);
    expect(rl.take("GET", "/api/v2/users").allowed).toBe(true);
    expect(rl.take("GET", "/api/v2/users").allowed).toBe(false);
  });

  test("reports remaining and an epoch-seconds reset when the next token arrives", () => {
    const c = clock(1_700_000_000_000);
    const rl = new RateLimiter(c.now);
    rl.useCustom({ burst: 2, perSecond: 0.5 });
    expect(rl.take("GET", "/api/v2/users")).toMatchObject({
      remaining: 1,
      reset: 1_700_000_000,
    });
    const second = rl.take("GET", "/api/v2/users");
    expect(second).toMatchObject({
      allowed: true,
      remaining: 0,
      reset: 1_700_000_002,
    });
    c.advance(1000);
    expect(rl.take("GET", "/api/v2/users")).toMatchObject({
      allowed: false,
      reset: 1_700_000_002,
    });
  });

  test("free plan: burst 2, 2 per second", () => {
    const c = clock();
    const rl = new RateLimiter(c.now);
    rl.usePlan("free");
    expect(
      [1, 2, 3].map(
        () => rl.take("POST", "/api/v2/tickets/password-change").allowed,
      ),
    ).toEqual([true, true, false]);
    c.advance(500);
    expect(rl.take("GET", "/api/v2/users").allowed).toBe(true);
  });

  test("essentials/professional: endpoint groups have separate buckets", () => {
    const c = clock();
    const rl = new RateLimiter(c.now);
    rl.usePlan("essentials-professional");
    for (let i = 0; i < 10; i++)
      expect(rl.take("POST", "/api/v2/jobs/users-imports").allowed).toBe(true);
    expect(rl.take("POST", "/api/v2/tickets/email-verification")).toMatchObject(
      { allowed: false, group: "other endpoints", limit: 10 },
    );
    expect(rl.take("GET", "/api/v2/users")).toMatchObject({
      allowed: true,
      group: "read users",
      limit: 40,
    });
    expect(rl.take("GET", "/api/v2/connections/con_x")).toMatchObject({
      allowed: true,
      limit: 5,
    });
    c.advance(400); // 150/min refills one token every 400 ms
    expect(rl.take("POST", "/api/v2/jobs/users-imports").allowed).toBe(true);
  });
});
