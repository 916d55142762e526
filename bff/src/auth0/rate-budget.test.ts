import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/db.ts";
import { ENGINES, openTestDb } from "../test/databases.ts";
import { createRateBudget } from "./rate-budget.ts";

let n = 0;
const bucket = () => `test-${Date.now()}-${++n}`;

describe.each(ENGINES)("the shared rate budget on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(engine, false);
  });
  afterAll(() => db.close());

  test("grants the burst at once, then refuses with the refill time", async () => {
    const limiter = createRateBudget(
      db,
      { burst: 3, perSecond: 0.5 },
      { id: bucket() },
    );
    for (let i = 0; i < 3; i++)
      expect(await limiter.tryAcquire()).toEqual({ granted: true });
    const refused = await limiter.tryAcquire();
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryInMs).toBeGreaterThan(300);
  });

  test("never plans above the plan, even for two instances sharing the database", async () => {
    const id = bucket();
    const plan = { burst: 4, perSecond: 20 };
    const a = createRateBudget(db, plan, { id });
    const b = createRateBudget(db, plan, { id });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 14 }, (_, i) => (i % 2 ? a : b).acquire()),
    );
    // 4 from the bucket, 10 more at 20/s ⇒ at least ~500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  test("does not accumulate more than the burst while idle", async () => {
    const id = bucket();
    const limiter = createRateBudget(db, { burst: 2, perSecond: 5 }, { id });
    await limiter.tryAcquire();
    await new Promise((r) => setTimeout(r, 700)); // would refill 3.5 tokens without the cap
    const grants = [];
    for (let i = 0; i < 4; i++)
      grants.push((await limiter.tryAcquire()).granted);
    expect(grants).toEqual([true, true, false, false]);
  });

  test("a 429 blocks every caller until X-RateLimit-Reset", async () => {
    const limiter = createRateBudget(
      db,
      { burst: 10, perSecond: 10 },
      { id: bucket() },
    );
    const reset = Math.ceil(Date.now() / 1000) + 2;
    await limiter.observe(
      429,
      new Headers({
        "x-ratelimit-reset": String(reset),
        "x-ratelimit-remaining": "0",
      }),
    );
    const r = await limiter.tryAcquire();
    expect(r.granted).toBe(false);
    if (!r.granted) expect(r.retryInMs).toBeGreaterThan(900);
    await expect(limiter.acquire(1, { maxWaitMs: 100 })).rejects.toMatchObject({
      code: "rate_limited",
    });
  });

  test("follows X-RateLimit-Remaining downwards", async () => {
    const limiter = createRateBudget(
      db,
      { burst: 10, perSecond: 0.5 },
      { id: bucket() },
    );
    await limiter.observe(
      200,
      new Headers({ "x-ratelimit-remaining": "1", "x-ratelimit-limit": "10" }),
    );
    expect((await limiter.tryAcquire()).granted).toBe(true);
    expect((await limiter.tryAcquire()).granted).toBe(false);
  });
});
