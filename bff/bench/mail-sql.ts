// pnpm exec tsx bench/mail-sql.ts [--n 10000] [--round 400] — the mail step's SQL alone on PGlite (on
// disk, all migrations): N invitations due, claimed, given a token and recorded as sent in rounds
// of `round`, as pipeline/mail-step.ts does; prints the ms of each statement per message.
// Variants (env): MERGED=1 claims and writes the token in one UPDATE; FILLFACTOR=70 leaves room in
// each page for HOT updates; SYNC_OFF=1 sets synchronous_commit = off for the session.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../src/db/db.ts";
import { migrate } from "../src/db/migrate.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg("n", 10_000);
const ROUND = arg("round", 400);
const rssMb = (): number =>
  Number(
    /VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1],
  ) / 1024;

const dir = mkdtempSync(join(tmpdir(), "mail-sql-"));
const db = await openDb({ dataDir: join(dir, "db") });
await migrate(db);
if (process.env.SYNC_OFF) await db.exec("set synchronous_commit = off");
if (process.env.FILLFACTOR)
  await db.exec(
    `alter table invitations set (fillfactor = ${Number(process.env.FILLFACTOR)})`,
  );
await db.query(
  `insert into tenants (id, name, seat_limit) values ('acme', 'Acme Corp', 1000000)`,
);
const ids = Array.from({ length: N }, () => randomUUID());
for (let i = 0; i < N; i += 2_000) {
  const slice = ids.slice(i, i + 2_000);
  await db.query(
    `insert into invitations (id, tenant_id, email, given_name, family_name, user_id, state, invited_by, mail_due_at)
     select id, 'acme', 'bench.' || (n + $2) || '@acme.test', 'Person' || (n + $2), 'Bench', 'auth0|' || md5(id::text), 'created', 'admin', now()
     from unnest($1::uuid[]) with ordinality as u(id, n)`,
    [slice, i],
  );
}
// CPU time, not wall time: PGlite runs each statement synchronously on this thread, and on a
// shared machine the wall time mostly measures the other processes.
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timing = { claim: 0, token: 0, record: 0 };
const t = async <T>(
  k: keyof typeof timing,
  p: () => Promise<T>,
): Promise<T> => {
  const s = cpuNow();
  const r = await p();
  timing[k] += cpuNow() - s;
  return r;
};
if (process.env.PROGRESS) {
  // What GET …/imports/:id costs per call at this size (features/invitations/progress.ts counts
  // the import's rows by state; the bench and the web page poll it every second or so).
  await db.exec("analyze invitations");
  for (let i = 0; i < 3; i++) {
    const c0 = cpuNow();
    await db.query(
      `select case when state = 'created' and mail_due_at is not null then 'created' else state end as s, count(*)::int
       from invitations where tenant_id = 'acme' group by 1`,
    );
    console.log(
      `state counts over ${N} rows: ${(cpuNow() - c0).toFixed(1)} ms of CPU`,
    );
  }
}
const hash = (tok: string) =>
  createHash("sha256").update(tok).digest("base64url");
let done = 0;
const t0 = cpuNow();
for (;;) {
  const tokens = Array.from({ length: ROUND }, () =>
    randomBytes(32).toString("base64url"),
  );
  const hashes = tokens.map(hash);
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
  let rows: { id: string }[];
  if (process.env.MERGED) {
    rows = (
      await t("claim", () =>
        db.query<{ id: string }>(
          `with c as (
             select id, row_number() over () as rn from (
               select id from invitations
               where mail_due_at <= now() and state in ('created', 'emailed', 'verified')
                 and (mail_lease_until is null or mail_lease_until < now())
               order by mail_due_at limit $3 for update skip locked) s)
           update invitations i set mail_lease_owner = $1, mail_lease_until = now() + $2 * interval '1 millisecond',
             token_hash = ($4::text[])[c.rn], expires_at = $5::timestamptz, updated_at = now()
           from c, tenants t where i.id = c.id and t.id = i.tenant_id
           returning i.id, i.email, i.given_name, i.mail_attempts, t.name as tenant_name, t.invitation_lifetime_days`,
          ["w1", 60_000, ROUND, hashes, expires],
        ),
      )
    ).rows;
  } else {
    rows = (
      await t("claim", () =>
        db.query<{ id: string }>(
          `update invitations i set mail_lease_owner = $1, mail_lease_until = now() + $2 * interval '1 millisecond'
           from tenants t
           where t.id = i.tenant_id and i.id in (
             select id from invitations
             where mail_due_at <= now() and state in ('created', 'emailed', 'verified')
               and (mail_lease_until is null or mail_lease_until < now())
             order by mail_due_at limit $3
             for update skip locked)
           returning i.id, i.email, i.given_name, i.mail_attempts, t.name as tenant_name, t.invitation_lifetime_days as lifetime_days`,
          ["w1", 60_000, ROUND],
        ),
      )
    ).rows;
    if (rows.length > 0)
      await t("token", () =>
        db.query(
          `update invitations i set token_hash = p.hash, expires_at = p.expires_at, updated_at = now()
           from unnest($1::uuid[], $2::text[], $3::timestamptz[]) as p(id, hash, expires_at)
           where i.id = p.id and i.mail_lease_owner = $4`,
          [
            rows.map((r) => r.id),
            hashes.slice(0, rows.length),
            rows.map(() => expires),
            "w1",
          ],
        ),
      );
  }
  if (rows.length === 0) break;
  const sentHashes = process.env.MERGED
    ? (
        await db.query<{ token_hash: string }>(
          `select token_hash from invitations where id = any($1::uuid[]) order by array_position($1::uuid[], id)`,
          [rows.map((r) => r.id)],
        )
      ).rows.map((r) => r.token_hash)
    : hashes.slice(0, rows.length);
  await t("record", () =>
    db.query(
      `update invitations i set state = case when i.state = 'created' then 'emailed' else i.state end,
         emailed_at = now(), mail_due_at = null, mail_attempts = 0, mail_lease_owner = null, mail_lease_until = null,
         waiting_reason = null, last_mail_error = null, updated_at = now()
       from unnest($1::uuid[], $2::text[]) as s(id, hash)
       where i.id = s.id and i.token_hash = s.hash`,
      [rows.map((r) => r.id), sentHashes],
    ),
  );
  done += rows.length;
}
const total = cpuNow() - t0;
const per = (ms: number) => (ms / done).toFixed(3);
console.log(
  `${done} messages in rounds of ${ROUND} (${[process.env.MERGED && "merged", process.env.FILLFACTOR && `fillfactor ${process.env.FILLFACTOR}`, process.env.SYNC_OFF && "synchronous_commit off"].filter(Boolean).join(", ") || "as today"}): ` +
    `CPU ms/message claim ${per(timing.claim)}, token ${per(timing.token)}, record ${per(timing.record)}; all ${per(total)} ms/message → ${(done / (total / 1000)).toFixed(0)} messages/s of SQL per core; RSS ${rssMb().toFixed(0)} MB`,
);
await db.close();
rmSync(dir, { recursive: true, force: true });
