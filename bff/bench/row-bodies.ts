// node --expose-gc --import tsx bench/row-bodies.ts import|preview zod|fast — the in-process cost
// of validating a 100,000-row body (the rows of bench/invite.ts) with the route's zod schema or
// with features/invitations/row-bodies.ts: the median time of 5 validations, and the heap still
// live after a GC once the handler holds the validated value (zod's copy; none for row-bodies.ts).
import v8 from "node:v8";
import { validatorCompiler } from "fastify-type-provider-zod";
import {
  CreateImportInput,
  PreviewInput,
} from "../src/features/invitations/contract.ts";
import {
  importBodyCompiler,
  previewBodyCompiler,
} from "../src/features/invitations/row-bodies.ts";
const [name, kind] = process.argv.slice(2) as [
  "import" | "preview",
  "zod" | "fast",
];
const N = 100_000;
const text = JSON.stringify({
  rows: Array.from({ length: N }, (_, i) => ({
    email: `bench.${i}@acme.test`,
    givenName: `Person${i}`,
    familyName: "Bench",
  })),
});
const gc =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error("run with node --expose-gc");
  });
const schema = name === "import" ? CreateImportInput : PreviewInput;
const route = { schema, method: "POST", url: "/x", httpPart: "body" } as const;
const v = (
  kind === "zod"
    ? validatorCompiler(route)
    : (name === "import" ? importBodyCompiler : previewBodyCompiler)(route)
) as (d: unknown) => { value?: unknown };
const times: number[] = [];
function once(): void {
  const body: unknown = JSON.parse(text);
  const t0 = performance.now();
  const r = v(body);
  times.push(performance.now() - t0);
  if (!r.value) throw new Error("invalid");
}
for (let k = 0; k < 5; k++) once();
gc();
gc();
const h0 = v8.getHeapStatistics().used_heap_size;
const body: unknown = JSON.parse(text);
gc();
gc();
const h1 = v8.getHeapStatistics().used_heap_size;
const r = v(body);
gc();
gc();
const h2 = v8.getHeapStatistics().used_heap_size;
if (!r.value) throw new Error("invalid");
console.log(
  `${name} ${kind}: validation median ${(times.sort((a, b) => a - b)[2] ?? 0).toFixed(0)} ms of 5; parsed body ${((h1 - h0) / 1e6).toFixed(1)} MB live, + ${((h2 - h1) / 1e6).toFixed(1)} MB live after validation (the value the handler gets)`,
);
