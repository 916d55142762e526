// The accept flow's experience: pinned by config, or read from GET /api/v2/prompts and cached; a
// failed read (e.g. no read:prompts) means "unknown" (the single-ticket flow) and a warning.
import { expect, test } from "vitest";
import type { UniversalLoginExperience } from "../auth0/types.ts";
import { createExperienceResolver } from "./experience.ts";

function source(answers: (UniversalLoginExperience | Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    getUniversalLoginExperience() {
      const a = answers[Math.min(calls++, answers.length - 1)];
      return a instanceof Error
        ? Promise.reject(a)
        : Promise.resolve(a ?? "new");
    },
  };
}

test("pinned by AUTH0_UL_EXPERIENCE: Auth0 is never asked", async () => {
  const s = source(["new"]);
  const r = createExperienceResolver(s, "classic", { warn: () => undefined });
  expect(await r.get()).toBe("classic");
  expect(s.calls).toBe(0);
});

test("auto: read once, cached for a few minutes, then read again", async () => {
  let now = 0;
  const s = source(["classic", "new"]);
  const r = createExperienceResolver(
    s,
    "auto",
    { warn: () => undefined },
    { now: () => now },
  );
  const [a, b] = await Promise.all([r.get(), r.get()]);
  expect([a, b, await r.get()]).toEqual(["classic", "classic", "classic"]);
  expect(s.calls).toBe(1);
  now += 5 * 60_000 + 1;
  expect(await r.get()).toBe("new");
  expect(s.calls).toBe(2);
});

test("auto: a failed read is 'unknown' with a warning naming read:prompts, retried after a minute", async () => {
  let now = 0;
  const warnings: string[] = [];
  const s = source([new Error("Insufficient scope"), "classic"]);
  const r = createExperienceResolver(
    s,
    "auto",
    { warn: (_o: unknown, msg?: string) => void warnings.push(msg ?? "") },
    { now: () => now },
  );
  expect(await r.get()).toBe("unknown");
  expect(warnings.join()).toContain("read:prompts");
  expect(await r.get()).toBe("unknown");
  now += 60_001;
  expect(await r.get()).toBe("classic");
});
