import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { seatSummary, reserveSeats } from "../seats/seats.ts";
import { ENGINES, openTestDb } from "../test/databases.ts";
import { makeInvitation, makeMember } from "../test/seed-data.ts";
import type { Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { seedTenants } from "./seed.ts";

describe.each(ENGINES)("storage on %s", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(() => db.close());

  test("applies every migration once and is idempotent", async () => {
    const names = (
      await db.query<{ name: string }>(
        "select name from schema_migrations order by name",
      )
    ).rows.map((r) => r.name);
    expect(names.slice(0, 2)).toEqual([
      "001-init.sql",
      "002-members-and-budget.sql",
    ]);
    expect(await migrate(db)).toEqual([]);
  });

  test("a migration applied under its old name is not run again", async () => {
    await db.query(
      "update schema_migrations set name = '002-rate-budget-learning.sql' where name = '006-rate-budget-learning.sql'",
    );
    await db.query("alter table rate_budget drop column cap");
    expect(await migrate(db)).toEqual([]);
    const names = (
      await db.query<{ name: string }>("select name from schema_migrations")
    ).rows.map((r) => r.name);
    expect(names).toContain("006-rate-budget-learning.sql");
    expect(names).not.toContain("002-rate-budget-learning.sql");
    // Not run: the column it would have added back is still gone.
    await expect(db.query("select cap from rate_budget")).rejects.toThrow();
    await db.query("alter table rate_budget add column cap double precision");
  });

  test("seeds tenants only into an empty table", async () => {
    await db.query("update tenants set seat_limit = 77 where id = 'acme'");
    expect(
      await seedTenants(db, [{ id: "acme", name: "Other", seatLimit: 1 }]),
    ).toBe(0);
    expect(
      (
        await db.query<{ seat_limit: number }>(
          "select seat_limit from tenants where id = 'acme'",
        )
      ).rows[0]?.seat_limit,
    ).toBe(77);
    await db.query("update tenants set seat_limit = 50 where id = 'acme'");
  });

  test("counts used and pending seats", async () => {
    await db.query(
      "insert into tenants (id, name, seat_limit) values ('seats-count', 'Seats', 10)",
    );
    await makeMember(db, { tenantId: "seats-count" });
    await makeMember(db, { tenantId: "seats-count", blocked: true });
    await makeInvitation(db, { tenantId: "seats-count", state: "accepted" });
    await makeInvitation(db, { tenantId: "seats-count", state: "emailed" });
    await makeInvitation(db, {
      tenantId: "seats-count",
      state: "queued",
      expiresAt: null,
    });
    await makeInvitation(db, {
      tenantId: "seats-count",
      state: "emailed",
      expiresAt: new Date(Date.now() - 1000),
    });
    await makeInvitation(db, { tenantId: "seats-count", state: "failed" });
    await makeInvitation(db, { tenantId: "seats-count", state: "revoked" });
    expect(await seatSummary(db, "seats-count")).toEqual({
      limit: 10,
      used: 2,
      pending: 2,
      free: 6,
    });
  });

  test("two concurrent reservations never exceed the seat limit", async () => {
    await db.query(
      "insert into tenants (id, name, seat_limit) values ('race', 'Race', 10)",
    );
    for (let i = 0; i < 5; i++) await makeMember(db, { tenantId: "race" });
    const reserveAndInvite = (n: number) =>
      db.transaction(async (tx) => {
        await reserveSeats(tx, "race", n);
        // Give the other transaction every chance to interleave.
        await new Promise((r) => setTimeout(r, 50));
        for (let i = 0; i < n; i++)
          await makeInvitation(tx, { tenantId: "race", state: "queued" });
        return n;
      });
    const results = await Promise.allSettled([
      reserveAndInvite(3),
      reserveAndInvite(3),
      reserveAndInvite(2),
    ]);
    const seats = await seatSummary(db, "race");
    expect(seats.used + seats.pending).toBeLessThanOrEqual(10);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const r of rejected)
      expect((r.reason as AppError).code).toBe("conflict");
    expect(seats.pending).toBe(
      results.reduce(
        (sum, r) => sum + (r.status === "fulfilled" ? r.value : 0),
        0,
      ),
    );
  });

  test("refuses a reservation larger than the free seats with details", async () => {
    const error: unknown = await db
      .transaction((tx) => reserveSeats(tx, "globex", 11))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "conflict",
      details: { free: 10, requested: 11 },
    });
  });
});
