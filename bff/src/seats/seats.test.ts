// The seat counters of migration 011 against counting the rows: after imports, pipeline steps,
// acceptance, the member mirror's refresh, blocking, removal, revocation, expiry, deletes, a
// TRUNCATE, the backfill of existing rows, and concurrent transactions on both tables.
import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, Queryable } from "../db/db.ts";
import { openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { ENGINES, openTestDb } from "../test/databases.ts";
import { reserveSeats, seatSummary } from "./seats.ts";

// The seat meter's SQL before migration 011: the definition the counters must always equal.
const COUNTED_SQL = `
  select t.seat_limit as "limit",
    (select count(*) from invitations i
      where i.tenant_id = t.id and i.state in ('queued','importing','created','emailed','verified')
        and (i.expires_at is null or i.expires_at > now()))::int as pending,
    ((select count(*) from members m
      where m.tenant_id = t.id and not m.blocked and m.removed_at is null
        and not exists (select 1 from invitations i where i.user_id = m.user_id and i.state <> 'accepted'))
     + (select count(*) from invitations i
      where i.tenant_id = t.id and i.state = 'accepted'
        and not exists (select 1 from members m where m.user_id = i.user_id)))::int as used
  from tenants t where t.id = $1`;

const TENANTS = ["sc-a", "sc-b", "sc-c"];

/** Counters and counted rows of every test tenant, read in one transaction (one now()). */
async function compare(db: Db, tenants = TENANTS) {
  return db.transaction(async (tx) => {
    const out: { tenant: string; counters: unknown; counted: unknown }[] = [];
    for (const tenant of tenants) {
      const s = await seatSummary(tx, tenant);
      const c = (
        await tx.query<{ limit: number; used: number; pending: number }>(
          COUNTED_SQL,
          [tenant],
        )
      ).rows[0];
      out.push({
        tenant,
        counters: { used: s.used, pending: s.pending },
        counted: { used: Number(c?.used), pending: Number(c?.pending) },
      });
    }
    return out;
  });
}

async function expectExact(db: Db, tenants = TENANTS) {
  for (const r of await compare(db, tenants))
    expect(r.counters, r.tenant).toEqual(r.counted);
}

// A small deterministic generator, so a failure replays.
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

async function addTenants(q: Queryable) {
  for (const id of TENANTS)
    await q.query(
      "insert into tenants (id, name, seat_limit) values ($1, $1, 100000) on conflict do nothing",
      [id],
    );
}

/** n invitations in one statement (an import's insert), emails unique. */
async function importRows(
  q: Queryable,
  tenantId: string,
  n: number,
  state = "queued",
): Promise<string[]> {
  const users = Array.from({ length: n }, () => `auth0|sc${randomUUID()}`);
  await q.query(
    `insert into invitations (id, tenant_id, email, user_id, state, invited_by, expires_at)
     select gen_random_uuid(), $1, lower(replace(u, 'auth0|', '')) || '@' || $1 || '.test', u, $2,
       'auth0|admin', case when $2 = 'queued' then null else now() + interval '7 days' end
     from unnest($3::text[]) u`,
    [tenantId, state, users],
  );
  return users;
}

/** The mirror's refresh: an upsert of Auth0's users, as members/sync.ts does. */
async function mirror(
  q: Queryable,
  tenantId: string,
  users: string[],
  blocked = false,
) {
  await q.query(
    `insert into members (user_id, tenant_id, email, name, email_verified, blocked)
     select u, $1, lower(replace(u, 'auth0|', '')) || '@mirror.test', null, true, $2 from unnest($3::text[]) u
     on conflict (user_id) do update set blocked = excluded.blocked, tenant_id = excluded.tenant_id,
       removed_at = null, synced_at = now()`,
    [tenantId, blocked, users],
  );
}

describe.each(ENGINES)("seat counters on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(engine);
    await addTenants(db);
  });
  afterAll(() => db.close());

  test("follow imports, the pipeline, acceptance, the mirror, removal, revocation and expiry", async () => {
    await expectExact(db);
    const a = await importRows(db, "sc-a", 40);
    const b = await importRows(db, "sc-b", 10, "emailed");
    await expectExact(db);
    // The pipeline: queued → importing → created → emailed, with an expiry per mail batch.
    await db.query(
      "update invitations set state = 'importing' where user_id = any($1)",
      [a],
    );
    await db.query(
      "update invitations set state = 'created', expires_at = null where user_id = any($1)",
      [a],
    );
    await db.query(
      "update invitations set state = 'emailed', expires_at = now() + interval '7 days' where user_id = any($1)",
      [a.slice(0, 20)],
    );
    await db.query(
      "update invitations set state = 'emailed', expires_at = now() + interval '3 days' where user_id = any($1)",
      [a.slice(20)],
    );
    await db.query(
      "update invitations set state = 'failed', failure_reason = 'exists' where user_id = any($1)",
      [a.slice(0, 3)],
    );
    await expectExact(db);
    // Accepted before the mirror knows them, then mirrored; some blocked, one removed.
    await db.query(
      "update invitations set state = 'accepted', accepted_at = now() where user_id = any($1)",
      [a.slice(3, 15)],
    );
    await expectExact(db);
    await mirror(db, "sc-a", a.slice(3, 12));
    await mirror(db, "sc-a", a.slice(12, 15), true);
    await expectExact(db);
    await db.query("update members set removed_at = now() where user_id = $1", [
      a[4],
    ]);
    await db.query("update members set blocked = false where user_id = $1", [
      a[13],
    ]);
    // People in Auth0 without an invitation; a failed invitee who has an account anyway.
    const outside = Array.from({ length: 8 }, () => `auth0|out${randomUUID()}`);
    await mirror(db, "sc-a", outside);
    await mirror(db, "sc-a", [a[0] ?? ""]);
    await expectExact(db);
    // Revocation, expiry (past, future, none), a resend that gives a fresh expiry.
    await db.query(
      "update invitations set state = 'revoked', revoked_at = now() where user_id = any($1)",
      [a.slice(15, 18)],
    );
    await db.query(
      "update invitations set expires_at = now() - interval '1 minute' where user_id = any($1)",
      [a.slice(18, 24)],
    );
    await db.query(
      "update invitations set expires_at = now() + interval '7 days' where user_id = $1",
      [a[18]],
    );
    await db.query(
      "update invitations set expires_at = null where user_id = $1",
      [a[19]],
    );
    await expectExact(db);
    // A person mirrored in one tenant with an invitation of another; a member moved between tenants.
    await mirror(db, "sc-c", b.slice(0, 2));
    await mirror(db, "sc-b", outside.slice(0, 2));
    await db.query(
      "update invitations set state = 'accepted' where user_id = $1",
      [b[0]],
    );
    await expectExact(db);
    // Deletes: a member row gone (the accepted invitation counts again), an invitation gone.
    await db.query("delete from members where user_id = any($1)", [
      a.slice(5, 8),
    ]);
    await db.query("delete from invitations where user_id = any($1)", [
      [...a.slice(25, 28), ...a.slice(9, 11)],
    ]);
    await expectExact(db);
    // Unchanged rows and lease-only updates change nothing.
    await db.query(
      "update invitations set mail_lease_owner = 'w', updated_at = now() where tenant_id = 'sc-a'",
    );
    await mirror(db, "sc-a", outside);
    await expectExact(db);
  });

  test("random operations on both tables stay exact", async () => {
    const next = random(engine === "pglite" ? 11 : 12);
    const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const states = [
      "queued",
      "importing",
      "created",
      "emailed",
      "verified",
      "accepted",
      "failed",
      "revoked",
    ];
    const people: string[] = [];
    for (const t of TENANTS) people.push(...(await importRows(db, t, 15)));
    for (let step = 0; step < 120; step++) {
      const some = people.filter(() => next() < 0.1);
      const tenant = pick(TENANTS);
      switch (Math.floor(next() * 7)) {
        case 0:
          people.push(
            ...(await importRows(db, tenant, 1 + Math.floor(next() * 5))),
          );
          break;
        case 1:
          await db.query(
            "update invitations set state = $2 where user_id = any($1)",
            [some, pick(states)],
          );
          break;
        case 2:
          await mirror(db, tenant, some, next() < 0.3);
          break;
        case 3:
          await db.query(
            "update members set removed_at = case when removed_at is null then now() end where user_id = any($1)",
            [some],
          );
          break;
        case 4:
          await db.query(
            "update invitations set expires_at = now() + (random() - 0.5) * interval '2 days' where user_id = any($1)",
            [some],
          );
          break;
        case 5:
          await db.query(
            next() < 0.5
              ? "delete from members where user_id = any($1)"
              : "delete from invitations where user_id = any($1)",
            [some.slice(0, 2)],
          );
          break;
        case 6:
          await db.query(
            "update members set blocked = not blocked where user_id = any($1)",
            [some],
          );
          break;
      }
      if (step % 20 === 19) await expectExact(db);
    }
    await expectExact(db);
  });

  test("concurrent transactions on a person's member row and invitation stay exact", async () => {
    const users = await importRows(db, "sc-b", 30, "emailed");
    const next = random(7);
    const subset = () => users.filter(() => next() < 0.3);
    // Statements of one transaction with pauses between them, so transactions interleave on
    // Postgres (PGlite runs them one after another).
    const pause = (tx: Queryable) =>
      tx.query("select pg_sleep($1)", [next() * 0.02]);
    const ops: ((tx: Queryable) => Promise<void>)[] = [
      async (tx: Queryable) => {
        await tx.query(
          "update invitations set state = 'accepted' where user_id = any($1)",
          [subset()],
        );
        await pause(tx);
        await mirror(tx, "sc-b", subset());
      },
      async (tx: Queryable) => {
        await mirror(tx, "sc-b", subset(), next() < 0.5);
        await pause(tx);
        await tx.query(
          "update invitations set state = 'revoked' where user_id = any($1)",
          [subset()],
        );
      },
      async (tx: Queryable) => {
        await tx.query(
          "update members set removed_at = now() where user_id = any($1)",
          [subset()],
        );
        await pause(tx);
        await tx.query(
          "update invitations set state = 'emailed', expires_at = now() + interval '1 day' where user_id = any($1)",
          [subset()],
        );
      },
      async (tx: Queryable) => {
        await tx.query("delete from members where user_id = any($1)", [
          subset().slice(0, 3),
        ]);
        await pause(tx);
        await reserveSeats(tx, "sc-b", 1);
        await importRows(tx, "sc-b", 2);
      },
    ];
    // Rounds of 8 transactions at once: as many as the test pool has connections.
    const results: PromiseSettledResult<void>[] = [];
    for (let round = 0; round < 3; round++)
      results.push(
        ...(await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            db.transaction(
              (tx) => ops[(round + i) % ops.length]?.(tx) ?? Promise.resolve(),
            ),
          ),
        )),
      );
    console.log(
      `[seat counters] ${engine}: ${results.filter((r) => r.status === "rejected").length} of ${results.length} transactions rolled back (deadlock)`,
    );
    // Deadlocks between the transactions' own row updates (in random order) are allowed: the
    // loser is rolled back. Anything else is a bug.
    for (const r of results)
      if (r.status === "rejected")
        expect((r.reason as { code?: string }).code).toBe("40P01");
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    await expectExact(db);
  });

  // Every pair of a change to a person's invitation and a change to their member row, in two
  // transactions that overlap: the first holds its change uncommitted while the second runs (both
  // orders). Without the lock in seat_holders_refresh the second reads the first's row as it was
  // and the counters drift (interaction of e.g. "accepted" and "blocked").
  test("a person's invitation and member row changed at the same time stay exact", async () => {
    const invitationChanges: [string, string, string][] = [
      // [name, initial state, statement]
      [
        "accept",
        "emailed",
        "update invitations set state = 'accepted' where user_id = $1",
      ],
      [
        "revoke accepted",
        "accepted",
        "update invitations set state = 'revoked' where user_id = $1",
      ],
      [
        "revoke",
        "emailed",
        "update invitations set state = 'revoked' where user_id = $1",
      ],
      [
        "expire",
        "emailed",
        "update invitations set expires_at = now() - interval '1 hour' where user_id = $1",
      ],
      ["delete", "accepted", "delete from invitations where user_id = $1"],
    ];
    const memberChanges: [string, "absent" | "present" | "blocked", string][] =
      [
        [
          "mirror",
          "absent",
          "insert into members (user_id, tenant_id, email) values ($1, 'sc-c', $1 || '@mirror.test')",
        ],
        [
          "block",
          "present",
          "update members set blocked = true where user_id = $1",
        ],
        [
          "unblock",
          "blocked",
          "update members set blocked = false where user_id = $1",
        ],
        [
          "remove",
          "present",
          "update members set removed_at = now() where user_id = $1",
        ],
        ["delete", "present", "delete from members where user_id = $1"],
      ];
    const cases = invitationChanges.flatMap((inv) =>
      memberChanges.flatMap((mem) => [
        { inv, mem, invitationFirst: true },
        { inv, mem, invitationFirst: false },
      ]),
    );
    const holdThenCommit = (sql: string, user: string) =>
      db.transaction(async (tx) => {
        await tx.query(sql, [user]);
        // PGlite runs transactions one after another: nothing to overlap.
        if (engine === "postgres") await tx.query("select pg_sleep(0.15)");
      });
    const later = async (sql: string, user: string) => {
      await new Promise((r) => setTimeout(r, 40));
      await db.query(sql, [user]);
    };
    // 4 cases at once: 8 connections, as many as the test pool has.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ({ inv, mem, invitationFirst }) => {
          const [user] = await importRows(db, "sc-c", 1, inv[1]);
          if (!user) throw new Error("no user");
          if (mem[1] !== "absent")
            await mirror(db, "sc-c", [user], mem[1] === "blocked");
          await Promise.all(
            invitationFirst
              ? [holdThenCommit(inv[2], user), later(mem[2], user)]
              : [holdThenCommit(mem[2], user), later(inv[2], user)],
          );
        }),
      );
    }
    await expectExact(db);
  });

  test("concurrent imports and removals in one tenant stay exact", async () => {
    const removable = await importRows(db, "sc-c", 40, "emailed");
    await mirror(db, "sc-c", removable.slice(0, 20));
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      jobs.push(
        db.transaction(async (tx) => {
          await reserveSeats(tx, "sc-c", 5);
          await importRows(tx, "sc-c", 5);
        }),
      );
      const gone = removable.slice(i * 4, i * 4 + 4);
      jobs.push(
        db.transaction(async (tx) => {
          await tx.query(
            "update invitations set state = 'revoked' where user_id = any($1)",
            [gone],
          );
          await tx.query(
            "update members set removed_at = now() where user_id = any($1)",
            [gone],
          );
        }),
      );
    }
    await Promise.all(jobs);
    await expectExact(db);
  });

  test("many small changes are compacted into a few rows, exactly", async () => {
    const users = await importRows(db, "sc-a", 100, "emailed");
    for (const u of users.slice(0, 80))
      await db.query(
        "update invitations set state = 'accepted' where user_id = $1",
        [u],
      );
    const rows = async () =>
      Number(
        (
          await db.query<{ n: number }>(
            "select count(*)::int as n from seat_counts where tenant_id = 'sc-a'",
          )
        ).rows[0]?.n,
      );
    expect(await rows()).toBeGreaterThan(64);
    await seatSummary(db, "sc-a"); // compacts
    expect(await rows()).toBeLessThan(64);
    await expectExact(db);
  });

  test("a TRUNCATE rebuilds the counters", async () => {
    await db.query("truncate members");
    await expectExact(db);
  });
});

describe("seat counters: the migration backfills existing rows", () => {
  test("counters equal the counted rows right after migration 011", async () => {
    const all = join(
      dirname(fileURLToPath(import.meta.url)),
      "../db/migrations",
    );
    const before = await mkdtemp(join(tmpdir(), "seats-migrations-"));
    const db = await openDb({});
    try {
      for (const f of await readdir(all))
        if (f < "011") await cp(join(all, f), join(before, f));
      await migrate(db, before);
      await addTenants(db);
      const a = await importRows(db, "sc-a", 30, "emailed");
      await importRows(db, "sc-b", 5, "queued");
      await db.query(
        "update invitations set state = 'accepted' where user_id = any($1)",
        [a.slice(0, 10)],
      );
      await db.query(
        "update invitations set expires_at = now() - interval '1 hour' where user_id = any($1)",
        [a.slice(20, 25)],
      );
      await mirror(db, "sc-a", a.slice(0, 5));
      await mirror(db, "sc-a", a.slice(5, 7), true);
      await mirror(db, "sc-a", [`auth0|out${randomUUID()}`]);
      expect(await migrate(db, all)).toEqual(
        (await readdir(all)).filter((f) => f >= "011").sort(),
      );
      await expectExact(db);
    } finally {
      await db.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
