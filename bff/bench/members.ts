// pnpm bench:members — the Members page of one tenant with 100,000 people, 10 admins at once.
// Seeds the rows straight into the database (one INSERT … SELECT generate_series per table, no
// Auth0), runs the real app in this process (buildApp through the test helper: fake Auth0, a
// locally signed admin token, listening on a free port) and drives it with autocannon, 10
// connections per scenario. Prints p50/p95/p99 latency per scenario, on PGlite and — when
// DATABASE_URL (or TEST_DATABASE_URL) points at a PostgreSQL server — on Postgres too. Then the
// same requests one at a time (the latency of one request without queueing), and the machine's
// load average, since the build machine is shared.
//   pnpm bench:members [people=100000] [seconds per scenario=10]
//   BENCH_ENGINES=pglite-process|pglite|postgres, comma-separated (default: all three, run in this
//   order; postgres only when a URL is set): pglite-process = PGlite in its own process as
//   `npm start` runs it (src/db/pglite-server.ts, data on disk in a temp dir, the app on its one
//   session; its CPU is reported as the server's); pglite = PGlite inside this process, as
//   `npm start -- --pglite-in-process` runs it (in memory here)

//   BENCH_SCENARIOS=list,seat… (names starting with these words; default: all)
//   BENCH_PG_NAMED_STATEMENTS=0: Postgres without named prepared statements (db.ts)
//   BENCH_PGLITE_NAMED_STATEMENTS=0: the same on PGlite
//   BENCH_PG_PID=<postmaster pid> of a local server: adds its backends' CPU per request (Linux /proc)
import autocannon from "autocannon";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, type Db } from "../src/db/db.ts";
import { migrate } from "../src/db/migrate.ts";
import { seedTenants } from "../src/db/seed.ts";
import { encodeCursor } from "../src/features/members/list.ts";
import { buildTestApp, TEST_TENANTS } from "../src/test/build-test-app.ts";
import { inSchema } from "../src/test/schema-url.ts";
import { startPgliteServerProcess } from "../src/pipeline/test/pglite-server-process.ts";

const PEOPLE = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 10);
const CONNECTIONS = 10;
const TENANT = "big";
const INVITED = Math.round(PEOPLE * 0.8); // the rest are in Auth0 without an invitation
/** Requests per path, one at a time, after the concurrent run. */
const SEQUENTIAL_ROUNDS = 3;
const ONLY = (process.env.BENCH_SCENARIOS ?? "")
  .split(",")
  .map((w) => w.trim())
  .filter(Boolean);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const GIVEN =
  `Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances Edsger Radia Tim Sophie John Katherine
  Donald Hedy Niklaus Joan Guido Anita Bjarne Lynn Yukihiro Shafi Leslie Karen Brian Jean Ivan`.split(
    /\s+/,
  );
const FAMILY =
  `Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Perlman
  Berners-Lee Wilson McCarthy Johnson Knuth Lamarr Wirth Clarke Rossum Borg Stroustrup Conway
  Matsumoto Goldwasser Lamport Jones Kernighan Sammet Sutherland Okafor Nakamura Schmidt Novak
  Rossi Garcia Kowalski Jensen Dubois Murphy`.split(/\s+/);

/** 100,000 people of one tenant plus noise in another, in a few statements. */
export async function seed(db: Db): Promise<void> {
  const started = performance.now();
  await db.query(
    "insert into tenants (id, name, seat_limit) values ($1, 'Big Co', $2)",
    [TENANT, PEOPLE * 2],
  );
  const given = `(array[${GIVEN.map((g) => `'${g}'`).join(",")}])`;
  const family = `(array[${FAMILY.map((f) => `'${f.replace("'", "''")}'`).join(",")}])`;
  // Invitations: mostly emailed, 10 % accepted (mirrored in members too), some verified, failed,
  // revoked, expired. Emails like grace.hopper.01234@big.test; names from the lists above.
  await db.query(
    `insert into invitations (id, tenant_id, email, given_name, family_name, user_id, state, invited_by,
       invited_by_email, expires_at, created_at, verified_at, accepted_at)
     select gen_random_uuid(), $1,
       lower(${given}[1 + g % ${GIVEN.length}] || '.' || ${family}[1 + (g / ${GIVEN.length}) % ${FAMILY.length}]) || '.' || lpad(g::text, 6, '0') || '@big.test',
       ${given}[1 + g % ${GIVEN.length}], ${family}[1 + (g / ${GIVEN.length}) % ${FAMILY.length}],
       'auth0|inv' || lpad(g::text, 19, '0'),
       case when g % 10 = 0 then 'accepted' when g % 97 = 0 then 'failed' when g % 89 = 0 then 'revoked'
            when g % 7 = 0 then 'verified' else 'emailed' end,
       'auth0|admin', 'admin@big.test',
       case when g % 13 = 0 then now() - interval '1 day' else now() + interval '7 days' end,
       now() - g * interval '1 second',
       case when g % 7 = 0 or g % 10 = 0 then now() end,
       case when g % 10 = 0 then now() end
     from generate_series(1, $2::int) g`,
    [TENANT, INVITED],
  );
  // The Auth0 mirror: the accepted invitees, and people added outside Guestlist (2 % blocked,
  // 0.5 % removed).
  await db.query(
    `insert into members (user_id, tenant_id, email, name, email_verified, last_login)
     select user_id, tenant_id, email, given_name || ' ' || family_name, true, now() - interval '1 hour'
     from invitations where tenant_id = $1 and state = 'accepted'`,
    [TENANT],
  );
  await db.query(
    `insert into members (user_id, tenant_id, email, name, email_verified, blocked, removed_at)
     select 'auth0|dir' || lpad(g::text, 19, '0'), $1,
       lower(${family}[1 + g % ${FAMILY.length}]) || '.' || lpad(g::text, 6, '0') || '@partner.test',
       ${given}[1 + (g / 7) % ${GIVEN.length}] || ' ' || ${family}[1 + g % ${FAMILY.length}],
       g % 3 <> 0, g % 50 = 0, case when g % 200 = 0 then now() end
     from generate_series(1, $2::int) g`,
    [TENANT, PEOPLE - INVITED],
  );
  // Another tenant's people, which must never slow this one down.
  await db.query(
    `insert into invitations (id, tenant_id, email, user_id, state, invited_by, expires_at)
     select gen_random_uuid(), 'globex', 'someone.' || g || '@globex.test', 'auth0|glx' || g, 'emailed',
       'auth0|admin', now() + interval '7 days'
     from generate_series(1, 10000) g`,
  );
  // The mirror counts as fresh: no background refresh (and no Auth0) during the run.
  await db.query(
    "insert into member_sync (tenant_id, synced_at) values ($1, now() + interval '1 day')",
    [TENANT],
  );
  await db.query("analyze");
  console.log(
    `  seeded ${PEOPLE.toLocaleString("en")} people in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface Scenario {
  name: string;
  paths: string[];
}

async function scenarios(db: Db): Promise<Scenario[]> {
  const members = `/api/tenants/${TENANT}/members`;
  // Walking pages: 50 cursors spread evenly over the whole list, taken from the database.
  const cursors = (
    await db.query<{ email: string; user_id: string }>(
      `select email, user_id from (
         select email, user_id, row_number() over (order by email, user_id) as n from (
           select email, user_id from invitations where tenant_id = $1
           union all
           select email, user_id from members m where tenant_id = $1
             and not exists (select 1 from invitations i where i.user_id = m.user_id)) a) b
       where n % $2 = 0 order by n limit 50`,
      [TENANT, Math.max(1, Math.floor(PEOPLE / 50))],
    )
  ).rows.map((r) => encodeCursor(r.email, r.user_id));
  return [
    {
      name: "list: first page and pages all through the list (50 per page)",
      paths: [
        `${members}?limit=50`,
        ...cursors.map((c) => `${members}?limit=50&cursor=${c}`),
      ],
    },
    {
      name: "filter: state = active / emailed / blocked / failed / expired / removed",
      paths: [
        "active",
        "emailed",
        "blocked",
        "failed",
        "expired",
        "removed",
      ].map((s) => `${members}?limit=50&state=${s}`),
    },
    {
      name: "search: part of an email or name (hopper, 04217, lamarr, partner.test, ada tur, zzz)",
      paths: [
        "hopper",
        "04217",
        "lamarr",
        "partner.test",
        "ada tur",
        "zzz",
      ].map((q) => `${members}?limit=50&q=${encodeURIComponent(q)}`),
    },
    {
      name: "search + filter: q=knuth&state=active, q=okafor&state=blocked",
      paths: [
        `${members}?limit=50&q=knuth&state=active`,
        `${members}?limit=50&q=okafor&state=blocked`,
      ],
    },
    {
      name: "seat meter: GET /api/tenants/big (the page's header)",
      paths: [`/api/tenants/${TENANT}`],
    },
  ];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

async function run(base: string, token: string, s: Scenario) {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const server = serverCpuMs();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { authorization: `Bearer ${token}` },
        requests: s.paths.map((path) => ({ method: "GET", path })),
      },
      (error: unknown, r) =>
        error
          ? reject(
              error instanceof Error
                ? error
                : new Error("autocannon failed", { cause: error }),
            )
          : resolve(r),
    );
    // Every response's own latency (ms), for exact percentiles (autocannon's summary has no p95).
    instance.on("response", (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
  const used = process.cpuUsage(cpu);
  const serverMs = serverCpuMs() - server;
  latencies.sort((a, b) => a - b);
  return {
    scenario: s.name,
    requests: result.requests.total,
    "req/s": Math.round(result.requests.average),
    "p50 ms": percentile(latencies, 50),
    "p95 ms": percentile(latencies, 95),
    "p99 ms": percentile(latencies, 99),
    failed: result.non2xx + result.errors + result.timeouts,
    // CPU of this process (BFF, PGlite, autocannon) per request: less at the mercy of a busy
    // machine than latency. On Postgres the database server's own CPU is not included.
    "CPU ms/req":
      Math.round(
        ((used.user + used.system) /
          1000 /
          Math.max(1, result.requests.total)) *
          10,
      ) / 10,
    ...(PG_PID
      ? {
          "server CPU ms/req":
            Math.round((serverMs / Math.max(1, result.requests.total)) * 10) /
            10,
        }
      : {}),
  };
}

/** The database server whose CPU is reported: BENCH_PG_PID, or the PGlite process of pglite-process. */
let PG_PID = Number(process.env.BENCH_PG_PID ?? 0);
const TICKS_PER_MS = 100 / 1000; // USER_HZ: 100 on Linux

/** CPU (ms) used so far by the local database server's processes (PG_PID and its children). */
function serverCpuMs(): number {
  if (!PG_PID) return 0;
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // fields after the command name: state ppid … utime(14) stime(15), 1-based over the whole line
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) === PG_PID || Number(pid) === PG_PID)
        ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / TICKS_PER_MS;
}

/** Every path of the scenario SEQUENTIAL_ROUNDS times, one request at a time. */
async function oneAtATime(base: string, token: string, s: Scenario) {
  const latencies: number[] = [];
  let failed = 0;
  const cpu = process.cpuUsage();
  const server = serverCpuMs();
  for (let round = 0; round < SEQUENTIAL_ROUNDS; round++)
    for (const path of s.paths) {
      const started = performance.now();
      const response = await fetch(new URL(path, base), {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (!response.ok) failed++;
    }
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    scenario: s.name.split(":")[0],
    requests: latencies.length,
    "p50 ms": percentile(latencies, 50),
    "p95 ms": percentile(latencies, 95),
    "max ms": percentile(latencies, 100),
    failed,
    "CPU ms/req":
      Math.round(
        ((used.user + used.system) / 1000 / Math.max(1, latencies.length)) * 10,
      ) / 10,
    ...(PG_PID
      ? {
          "server CPU ms/req":
            Math.round(
              ((serverCpuMs() - server) / Math.max(1, latencies.length)) * 10,
            ) / 10,
        }
      : {}),
  };
}

/** PGlite in memory, or a fresh schema on the PostgreSQL server (dropped afterwards). */
type Engine = "pglite" | "pglite-process" | "postgres";

async function openBenchDb(
  engine: Engine,
): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (engine === "pglite-process") {
    const dir = mkdtempSync(join(tmpdir(), "bench-members-"));
    const server = await startPgliteServerProcess(join(dir, "pgdata"));
    PG_PID = server.child.pid ?? 0;
    // as npm start connects the BFF to it (docs/decisions/012-pglite-in-its-own-process.md)
    const db = await openDb({
      databaseUrl: server.url,
      singleSession: true,
      poolSize: 1,
      namedStatements: process.env.BENCH_PGLITE_NAMED_STATEMENTS !== "0",
    });
    return {
      db,
      drop: async () => {
        await server.stop();
        PG_PID = Number(process.env.BENCH_PG_PID ?? 0);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (engine === "pglite") {
    const db = await openDb({
      namedStatements: process.env.BENCH_PGLITE_NAMED_STATEMENTS !== "0",
    });
    return { db, drop: () => Promise.resolve() };
  }
  const serverUrl =
    process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "";
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const admin = await openDb({ databaseUrl: serverUrl, poolSize: 1 });
  await admin.query(`create schema ${schema}`);
  // as src/test/databases.ts: the extension in public, on the schema's path
  await admin.query("create extension if not exists pg_trgm schema public");
  const db = await openDb({
    databaseUrl: inSchema(serverUrl, schema),
    poolSize: 10,
    namedStatements: process.env.BENCH_PG_NAMED_STATEMENTS !== "0",
  });
  return {
    db,
    drop: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
}

async function bench(engine: Engine): Promise<void> {
  console.log(`\n== ${engine}`);
  const { db, drop } = await openBenchDb(engine);
  await migrate(db);
  await seedTenants(db, TEST_TENANTS);
  await seed(db);
  const t = await buildTestApp({
    db,
    tenants: [],
    env: { MEMBERS_SYNC_INTERVAL_SECONDS: "3600", LOG_LEVEL: "warn" },
  });
  try {
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const token = await t.tokens.admin(TENANT);
    const chosen = (await scenarios(db)).filter(
      (s) => ONLY.length === 0 || ONLY.some((w) => s.name.startsWith(w)),
    );
    const rows = [];
    for (const s of chosen) {
      rows.push({ ...(await run(address, token, s)), load: load() });
    }
    console.log(`\n${CONNECTIONS} at once:`);
    console.table(rows);
    const one = [];
    for (const s of chosen) one.push(await oneAtATime(address, token, s));
    console.log(
      `\none at a time (each path ${SEQUENTIAL_ROUNDS} times, after the run above), load ${load()}:`,
    );
    console.table(one);
  } finally {
    await t.close();
    await db.close();
    await drop();
  }
}

async function main(): Promise<void> {
  console.log(
    `Members page, ${PEOPLE.toLocaleString("en")} people in one tenant, ${CONNECTIONS} connections, ${SECONDS} s per scenario (${new Date().toISOString()}, load average ${load()})`,
  );
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const engines = (
    process.env.BENCH_ENGINES ?? "pglite-process,pglite,postgres"
  ).split(",");
  if (engines.includes("pglite-process")) await bench("pglite-process");
  if (engines.includes("pglite")) await bench("pglite");
  if (!engines.includes("postgres")) return;
  if (url) await bench("postgres");
  else
    console.log("\n(no DATABASE_URL / TEST_DATABASE_URL: PostgreSQL skipped)");
}

if (process.env.BENCH_NO_MAIN !== "1") await main();
