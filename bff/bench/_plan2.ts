// temporary analysis script (not committed)
import { openDb } from "../src/db/db.ts";
const db = await openDb({ dataDir: "/tmp/members-an/pglite" });
async function cpu(label: string, sql: string, params: unknown[], n = 20) {
  await db.query(sql, params); await db.query(sql, params);
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) await db.query(sql, params);
  const u = process.cpuUsage(c);
  console.log(label.padEnd(60), ((u.user + u.system) / 1000 / n).toFixed(2), "ms CPU");
}
const v: [string, string][] = [
  ["inv only, no join", "explain select i.email, i.user_id from invitations i where i.tenant_id = $1 order by i.email, i.user_id limit 51"],
  ["inv left join members", "explain select i.email, i.user_id, m.name from invitations i left join members m on m.user_id = i.user_id where i.tenant_id = $1 order by i.email, i.user_id limit 51"],
  ["inv join members (inner)", "explain select i.email, i.user_id, m.name from invitations i join members m on m.user_id = i.user_id where i.tenant_id = $1 order by i.email, i.user_id limit 51"],
  ["members only", "explain select m.email, m.user_id from members m where m.tenant_id = $1 and not m.invited order by m.email, m.user_id limit 51"],
  ["tenants by pk", "explain select 1 from tenants where id = $1"],
  ["inv by user_id", "explain select 1 from invitations where user_id = $1"],
  ["members by tenant", "explain select 1 from members where tenant_id = $1"],
  ["invitations by tenant", "explain select 1 from invitations where tenant_id = $1"],
];
for (const [l, s] of v) await cpu(l, s, ["big"]);
await db.exec("set enable_hashjoin = off");
await cpu("inv left join members, hashjoin off", v[1]![1], ["big"]);
await db.exec("reset enable_hashjoin");
console.log((await db.query("select relname, n_live_tup, n_dead_tup from pg_stat_user_tables where relname in ('members','invitations')")).rows);
console.log((await db.query("select tablename, attname, n_distinct, array_length(most_common_vals::text::text[],1) mcv, array_length(histogram_bounds::text::text[],1) hist from pg_stats where tablename in ('members','invitations') and attname in ('user_id','tenant_id','email')")).rows);
await db.close();
