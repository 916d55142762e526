// temporary analysis script (not committed)
import { openDb } from "../src/db/db.ts";
import { listQuery, type ListArgs } from "../src/features/members/list.ts";
const db = await openDb({ dataDir: "/tmp/members-an/pglite" });
const base = { tenantId: "big", after: null, pattern: null, state: undefined, limit: 51 } as ListArgs;
const which = process.argv[2] ?? "first";
const a: ListArgs = which === "first" ? base : which === "deep" ? { ...base, after: ["grace.hopper.040000@big.test", "x"] } : which === "failed" ? { ...base, state: "failed" } : { ...base, pattern: `%${which}%` };
const { sql, params } = listQuery(a);
async function cpu(label: string, fn: () => Promise<unknown>, n = 20) {
  await fn(); await fn();
  const c = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const u = process.cpuUsage(c);
  console.log(label.padEnd(50), ((u.user + u.system) / 1000 / n).toFixed(2), "ms CPU", ((performance.now() - t) / n).toFixed(2), "ms wall");
}
await cpu("query", () => db.query(sql, params));
await cpu("explain (plan only)", () => db.query("explain " + sql, params));
for (const setting of (process.argv[3] ?? "").split(",").filter(Boolean)) {
  await db.exec(`set ${setting}`);
  await cpu(`explain with ${setting}`, () => db.query("explain " + sql, params));
}
const lits = params.map((p) => typeof p === "number" ? String(p) : `'${String(p).replace(/'/g, "''")}'`);
await db.exec(`prepare p1 as ${sql}`);
await cpu("execute prepared (custom plans first 5)", () => db.query(`execute p1 (${lits.join(",")})`));
await db.exec("set plan_cache_mode = force_generic_plan");
await db.exec(`prepare p2 as ${sql}`);
await cpu("execute prepared (force_generic_plan)", () => db.query(`execute p2 (${lits.join(",")})`));
console.log((await db.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) execute p2 (${lits.join(",")})`)).rows.map((r) => r["QUERY PLAN"]).join("\n"));
await db.close();
