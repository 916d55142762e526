import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/db.ts";
import { ENGINES, openTestDb } from "../test/databases.ts";
import { createRateBudget, defaultInviteeHeadroom } from "./rate-budget.ts";

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
      { id: bucket(), inviteeHeadroom: 0 },
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
    const a = createRateBudget(db, plan, { id, inviteeHeadroom: 0 });
    const b = createRateBudget(db, plan, { id, inviteeHeadroom: 0 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 14 }, (_, i) => (i % 2 ? a : b).acquire()),
    );
    // 4 from the bucket, 10 more at 20/s ⇒ at least ~500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  test("does not accumulate more than the burst while idle", async () => {
    const id = bucket();
    const limiter = createRateBudget(
      db,
      { burst: 2, perSecond: 5 },
      { id, inviteeHeadroom: 0 },
    );
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
      { id: bucket(), inviteeHeadroom: 0 },
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
      { id: bucket(), inviteeHeadroom: 0 },
    );
    await limiter.observe(
      200,
      new Headers({ "x-ratelimit-remaining": "1", "x-ratelimit-limit": "10" }),
    );
    expect((await limiter.tryAcquire()).granted).toBe(true);
    expect((await limiter.tryAcquire()).granted).toBe(false);
  });

  test("keeps the invitee lane's headroom: other lanes never take the last tokens", async () => {
    const limiter = createRateBudget(
      db,
      { burst: 4, perSecond: 0.1 },
      { id: bucket(), inviteeHeadroom: 2 },
    );
    const tenant = [];
    for (let i = 0; i < 4; i++)
      tenant.push((await limiter.tryAcquire(1, "tenant:acme")).granted);
    expect(tenant).toEqual([true, true, false, false]);
    expect((await limiter.tryAcquire(1, "system")).granted).toBe(false);
    expect((await limiter.tryAcquire(1, "invitee")).granted).toBe(true);
    expect((await limiter.tryAcquire(1, "invitee")).granted).toBe(true);
    expect((await limiter.tryAcquire(1, "invitee")).granted).toBe(false);
  });

  test("a waiting invitee is first in line: other lanes hold a token for it", async () => {
    const id = bucket();
    const limiter = createRateBudget(
      db,
      { burst: 2, perSecond: 4 },
      { id, inviteeHeadroom: 0 },
    );
    await limiter.acquire(2, { lane: "tenant:a" });
    // the invitee starts waiting (the bucket is empty) …
    const invitee = limiter.acquire(1, { lane: "invitee" });
    await new Promise((r) => setTimeout(r, 20));
    // … and a tenant asking meanwhile must leave the next token to it
    const order: string[] = [];
    await Promise.all([
      invitee.then(() => order.push("invitee")),
      limiter
        .acquire(1, { lane: "tenant:b" })
        .then(() => order.push("tenant:b")),
    ]);
    expect(order).toEqual(["invitee", "tenant:b"]);
  });

  test("a tenant's flood on one instance does not starve another tenant on another instance", async () => {
    const id = bucket();
    const plan = { burst: 2, perSecond: 10 };
    const one = createRateBudget(db, plan, { id, inviteeHeadroom: 0 });
    const two = createRateBudget(db, plan, { id, inviteeHeadroom: 0 });
    const grants: { lane: string; at: number }[] = [];
    let flooding = true;
    const started = Date.now();
    // Tenant A: 20 callers in a loop, each taking a token as soon as it can.
    const flood = Array.from({ length: 20 }, async () => {
      while (flooding) {
        await one.acquire(1, { lane: "tenant:a", maxWaitMs: 60_000 });
        grants.push({ lane: "a", at: Date.now() - started });
      }
    });
    await new Promise((r) => setTimeout(r, 300)); // A's burst is under way
    // Tenant B: 5 calls one after the other. Fair share: B gets every other token (≈ 0.2 s
    // each at 10/s). Without lanes B would queue behind A's 20 callers (≈ 2 s each).
    const bStarted = Date.now();
    for (let i = 0; i < 5; i++) {
      await two.acquire(1, { lane: "tenant:b", maxWaitMs: 60_000 });
      grants.push({ lane: "b", at: Date.now() - started });
    }
    const bSeconds = (Date.now() - bStarted) / 1000;
    flooding = false;
    await Promise.all(flood);
    expect(bSeconds).toBeLessThan(2.5);
    // The global limit held: in no window did both instances together take more than the bucket allows.
    const times = grants.map((g) => g.at).sort((x, y) => x - y);
    for (let i = 0; i < times.length; i++)
      for (let j = i; j < times.length; j++) {
        const window = ((times[j] ?? 0) - (times[i] ?? 0)) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(
          plan.burst + window * plan.perSecond + 1,
        );
      }
  });

  test("an interactive caller behind its own lane's burst is refused at once, with the wait", async () => {
    const id = bucket();
    const limiter = createRateBudget(
      db,
      { burst: 2, perSecond: 1 },
      { id, inviteeHeadroom: 0 },
    );
    await limiter.acquire(2, { lane: "tenant:a" });
    const asked = Date.now();
    await expect(
      limiter.acquire(2, { lane: "tenant:a", maxWaitMs: 500 }),
    ).rejects.toMatchObject({ code: "rate_limited" });
    expect(Date.now() - asked).toBeLessThan(400);
  });
});

test("the invitee lane's default headroom is a fifth of the burst, below the burst", () => {
  expect(defaultInviteeHeadroom({ burst: 2, perSecond: 2 })).toBe(0);
  expect(defaultInviteeHeadroom({ burst: 10, perSecond: 2.5 })).toBe(2);
  expect(defaultInviteeHeadroom({ burst: 50, perSecond: 16 })).toBe(10);
  expect(defaultInviteeHeadroom({ burst: 1, perSecond: 1 })).toBe(0);
});
