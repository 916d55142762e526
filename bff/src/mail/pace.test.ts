import { describe, expect, test } from "vitest";
import { createSendPace, isThrottleReply } from "./pace.ts";

const throttle = (code: number) =>
  Object.assign(new Error(`${code} slow down`), { responseCode: code });

describe("the SMTP send pace", () => {
  test("spaces message starts at the rate and keeps at most maxConnections on the wire", async () => {
    const pace = createSendPace({ maxPerSecond: 50, maxConnections: 2 });
    const starts: number[] = [];
    let open = 0;
    let maxOpen = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        pace.run(Date.now() + 10_000, async () => {
          starts.push(performance.now());
          maxOpen = Math.max(maxOpen, ++open);
          await new Promise((r) => setTimeout(r, 30));
          open--;
        }),
      ),
    );
    expect(outcomes.every((o) => o.kind === "sent")).toBe(true);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(18); // 1/50 s, less timer rounding
    expect(maxOpen).toBeLessThanOrEqual(2);
  });

  test("defers what could not start before the deadline, without sending it", async () => {
    const pace = createSendPace({ maxPerSecond: 10, maxConnections: 10 });
    const deadline = Date.now() + 250;
    expect(pace.room(deadline)).toBe(3); // turns at +0, +100, +200 ms
    let sent = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        pace.run(deadline, () => {
          sent++;
          return Promise.resolve();
        }),
      ),
    );
    expect(outcomes.map((o) => o.kind)).toEqual([
      "sent",
      "sent",
      "sent",
      "deferred",
      "deferred",
    ]);
    expect(sent).toBe(3);
  });

  test("a 4xx reply pauses every send; replies of one burst pause once, later ones longer", async () => {
    const pace = createSendPace({
      maxPerSecond: 0,
      maxConnections: 3,
      basePauseMs: 200,
      maxPauseMs: 10_000,
    });
    const deadline = Date.now() + 10_000;
    const burst = await Promise.all(
      [421, 454, 451].map((code) =>
        pace.run(deadline, async () => {
          await new Promise((r) => setTimeout(r, 5));
          throw throttle(code);
        }),
      ),
    );
    expect(burst.map((o) => o.kind)).toEqual([
      "throttled",
      "throttled",
      "throttled",
    ]);
    const firstPause = pace.pausedUntil - Date.now();
    expect(firstPause).toBeGreaterThan(100);
    expect(firstPause).toBeLessThanOrEqual(200);
    // The next send waits for the pause; throttled again, the pause doubles.
    const before = Date.now();
    const again = await pace.run(deadline, () => Promise.reject(throttle(421)));
    expect(Date.now() - before).toBeGreaterThanOrEqual(firstPause - 5);
    expect(again.kind).toBe("throttled");
    expect(pace.pausedUntil - Date.now()).toBeGreaterThan(300);
    // Other errors are failures, not throttling.
    expect(isThrottleReply(throttle(550))).toBe(false);
    expect(isThrottleReply(new Error("ECONNREFUSED"))).toBe(false);
  });
});
