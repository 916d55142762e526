import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
const disk = new PGlite("/tmp/members-an/pglite", { extensions: { pg_trgm } });
const dump = await disk.dumpDataDir("none");
await disk.close();
const db = new PGlite({ loadDataDir: dump, extensions: { pg_trgm } });
await db.waitReady;
async function cpu(label: string, sql: string, params: unknown[], n = 40) {
  for (let i = 0; i < 3; i++) await db.query(sql, params);
  const out = [];
  for (let r = 0; r < 3; r++) {
    const c = process.cpuUsage();
    for (let i = 0; i < n; i++) await db.query(sql, params);
    const u = process.cpuUsage(c);
    out.push(((u.user + u.system) / 1000 / n).toFixed(2));
  }
  console.log(label.padEnd(45), out.join(" / "), "ms CPU");
}
const v: [string, string][] = [
  ["select 1", "select 1 where $1::text is not null"],
  ["tenants by pk", "select 1 from tenants where id = $1"],
  ["explain tenants by pk", "explain select 1 from tenants where id = $1"],
  ["explain inv only, no join", "explain select i.email, i.user_id from invitations i where i.tenant_id = $1 order by i.email, i.user_id limit 51"],
  ["explain inv left join members", "explain select i.email, i.user_id, m.name from invitations i left join members m on m.user_id = i.user_id where i.tenant_id = $1 order by i.email, i.user_id limit 51"],
  ["explain members only", "explain select m.email, m.user_id from members m where m.tenant_id = $1 and not m.invited order by m.email, m.user_id limit 51"],
];
for (const [l, s] of v) await cpu(l, s, ["big"]);
export { db };
const { listQuery } = await import("../src/features/members/list.ts");
const base = { tenantId: "big", after: null, pattern: null, state: undefined, limit: 51 } as Parameters<typeof listQuery>[0];
for (const [name, a] of [["first", base], ["deep", { ...base, after: ["grace.hopper.040000@big.test", "x"] }], ["expired", { ...base, state: "expired" }], ["hopper", { ...base, pattern: "%hopper%" }], ["ada tur", { ...base, pattern: "%ada tur%" }]] as const) {
  const { sql, params } = listQuery(a as never);
  await cpu(`${name}: query`, sql, params, 20);
  await cpu(`${name}: explain`, "explain " + sql, params, 20);
  const lits = params.map((p) => typeof p === "number" ? String(p) : `'${String(p).replace(/'/g, "''")}'`);
  const id = name.replace(/\W/g, "");
  await db.exec(`prepare ${id} as ${sql}`);
  await cpu(`${name}: execute prepared (auto)`, `execute ${id} (${lits.join(",")})`, [], 20);
  console.log((await db.query<{ generic_plans: number; custom_plans: number }>(`select generic_plans, custom_plans from pg_prepared_statements where name = '${id}'`)).rows[0]);
}
