// temporary analysis script (not committed)
import { openDb, type Queryable } from "../src/db/db.ts";
import { listQuery, type ListArgs } from "../src/features/members/list.ts";
const db = await openDb({ dataDir: "/tmp/members-an/pglite" });
const base = { tenantId: "big", after: null, pattern: null, state: undefined, limit: 51 } as ListArgs;
const cases: [string, ListArgs][] = [
  ["first page", base],
  ["deep page", { ...base, after: ["grace.hopper.040000@big.test", "x"] }],
  ["state=active", { ...base, state: "active" }],
  ["state=emailed", { ...base, state: "emailed" }],
  ["state=blocked", { ...base, state: "blocked" }],
  ["state=failed", { ...base, state: "failed" }],
  ["state=expired", { ...base, state: "expired" }],
  ["state=removed", { ...base, state: "removed" }],
  ["q=hopper", { ...base, pattern: "%hopper%" }],
  ["q=04217", { ...base, pattern: "%04217%" }],
  ["q=lamarr", { ...base, pattern: "%lamarr%" }],
  ["q=partner.test", { ...base, pattern: "%partner.test%" }],
  ["q=ada tur", { ...base, pattern: "%ada tur%" }],
  ["q=zzz", { ...base, pattern: "%zzz%" }],
  ["q=knuth&active", { ...base, pattern: "%knuth%", state: "active" }],
  ["q=okafor&blocked", { ...base, pattern: "%okafor%", state: "blocked" }],
];
async function explain(q: Queryable, sql: string, params: unknown[]) {
  const rows = (await q.query<{ "QUERY PLAN": string }>(`explain (analyze, timing off, summary) ${sql}`, params)).rows.map((r) => r["QUERY PLAN"]);
  const get = (k: string) => Number(rows.find((r) => r.startsWith(k))?.match(/([\d.]+) ms/)?.[1]);
  return { plan: get("Planning Time"), exec: get("Execution Time") };
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
async function time(fn: () => Promise<unknown>, n = 10) {
  await fn();
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000 / n;
}
const out = [];
for (const [name, a] of cases) {
  const { sql, params } = listQuery(a);
  const e = [];
  for (let i = 0; i < 5; i++) e.push(await explain(db, sql, params));
  out.push({ name, "plan ms": med(e.map((x) => x.plan)), "exec ms": med(e.map((x) => x.exec)), "CPU ms": Math.round((await time(() => db.query(sql, params))) * 10) / 10, "CPU ms explain(plan only)": Math.round((await time(() => db.query("explain " + sql, params))) * 10) / 10 });
}
console.table(out);
const other: [string, string, unknown[]][] = [
  ["member_sync", "select synced_at from member_sync where tenant_id = $1", ["big"]],
  ["ensureTenant", "select 1 from tenants where id = $1", ["big"]],
  ["reconcile open tickets", `select id::text, user_id, ticket_issued_at from invitations
        where tenant_id = $1 and state in ('created', 'emailed', 'verified')
          and ticket_issued_at is not null and ticket_expires_at > now() - $2::int * interval '1 millisecond'`, ["big", 60000]],
  ["seat meter (011 counters)", `select t.seat_limit as "limit", coalesce(sum(c.used), 0)::int as used,
    coalesce(sum(c.pending) filter (where c.expires_at > now()), 0)::int as pending, count(c.id)::int as rows
  from tenants t left join seat_counts c on c.tenant_id = t.id where t.id = $1 group by t.id`, ["big"]],
  ["seat meter (count(*), before)", `select t.seat_limit as "limit",
    (select count(*) from invitations i where i.tenant_id = t.id and i.state in ('queued','importing','created','emailed','verified')
        and (i.expires_at is null or i.expires_at > now()))::int as pending,
    ((select count(*) from members m where m.tenant_id = t.id and not m.blocked and m.removed_at is null
        and not exists (select 1 from invitations i where i.user_id = m.user_id and i.state <> 'accepted'))
     + (select count(*) from invitations i where i.tenant_id = t.id and i.state = 'accepted'
        and not exists (select 1 from members m where m.user_id = i.user_id)))::int as used
  from tenants t where t.id = $1`, ["big"]],
  ["select 1", "select 1", []],
];
const o2 = [];
for (const [name, sql, params] of other) {
  const e = [];
  for (let i = 0; i < 3; i++) e.push(await explain(db, sql, params));
  o2.push({ name, "plan ms": med(e.map((x) => x.plan)), "exec ms": med(e.map((x) => x.exec)), "CPU ms": Math.round((await time(() => db.query(sql, params), 3)) * 10) / 10 });
}
console.table(o2);
if (process.argv[2]) { const { sql, params } = listQuery(cases.find((c) => c[0] === process.argv[2])![1]); console.log((await db.query<{ "QUERY PLAN": string }>(`explain (analyze) ${sql}`, params)).rows.map((r) => r["QUERY PLAN"]).join("\n")); }
await db.close();
