// The BFF's V8 heap flags (docs/production.md, "Memory"): written in bff/package.json's `start:prod`,
// repeated in `start` and `dev` (npm start), and read from there by the benches and process tests
// (src/pipeline/test/bff-process.ts), so every launch sizes the heap the same way.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { launchHeapFlags } from "./pipeline/test/bff-process.ts";

const scripts = (
  JSON.parse(
    readFileSync(new URL("../package.json", import.meta.url), "utf8"),
  ) as { scripts: Record<string, string> }
).scripts;
const heapFlags = (script: string): string[] =>
  (scripts[script] ?? "").match(/--max-[a-z-]+-size=\d+/g) ?? [];

describe("the BFF's launch", () => {
  it("caps the old generation (V8 then grows it like a memory-constrained heap)", () => {
    expect(heapFlags("start:prod")).toContain("--max-old-space-size=512");
    expect(heapFlags("start:prod")).toContain("--max-semi-space-size=4");
  });

  it("start and dev use the same heap flags as start:prod", () => {
    expect(heapFlags("start")).toEqual(heapFlags("start:prod"));
    expect(heapFlags("dev")).toEqual(heapFlags("start:prod"));
  });

  it("benches and process tests launch the BFF with them", () => {
    expect(launchHeapFlags()).toEqual(heapFlags("start:prod"));
  });
});
