// pnpm exec tsx bench/pglite-rss.ts <dataDir> [setting=value …] — RSS of a bare PGlite with pg_trgm in
// this (fresh) process: before, after waitReady, after a few queries; `setting=value` pairs are
// applied with ALTER SYSTEM (postgresql.auto.conf, read at the next start) and the process exits,
// so a second run measures them. Measured with PGlite 0.3.16: it does not read postgresql.conf or
// postgresql.auto.conf (its backend starts with shared_buffers=128MB etc. on its command line), so
// SHOW and RSS are unchanged after a restart.
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { readFileSync } from "node:fs";

const rss = (): string => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return `${(Number(m?.[1]) / 1024).toFixed(0)} MB`;
};
const dir = process.argv[2];
const sets = process.argv.slice(3).filter((a) => a.includes("="));
const initialMemory = process.env.INITIAL_MEMORY
  ? Number(process.env.INITIAL_MEMORY)
  : undefined;
const before = rss();
const lite = new PGlite(dir, {
  extensions: { pg_trgm },
  ...(initialMemory ? { initialMemory } : {}),
});
await lite.waitReady;
const ready = rss();
if (sets.length > 0) {
  for (const s of sets) {
    const [k, v] = s.split("=");
    await lite.exec(`alter system set ${k} = '${v}'`);
  }
  await lite.close();
  console.log(`set ${sets.join(" ")}`);
  process.exit(0);
}
await lite.exec("create extension if not exists pg_trgm");
const show = await lite.query<{
  name: string;
  setting: string;
  unit: string | null;
}>(
  `select name, setting, unit from pg_settings where name in ('shared_buffers','work_mem','wal_buffers','temp_buffers','maintenance_work_mem','max_connections','fsync','synchronous_commit','full_page_writes','effective_cache_size')`,
);
await lite.exec(
  "create table if not exists t(id serial primary key, s text); insert into t(s) select md5(g::text) from generate_series(1, 50000) g; select count(*) from t where s like '%abc%'",
);
const used = rss();
console.log(
  `RSS before ${before}, ready ${ready}, after 50,000 rows ${used}; ${show.rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ""}`).join(" ")}`,
);
await lite.close();
