// The progress count is reused for a moment while many rows are open, and counted afresh near the
// end, so the answer that says `done` is exact (progress.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Queryable } from "../../db/db.ts";
import { importProgress } from "./progress.ts";

function fakeDb(state: { open: number; emailed: number; counts: number }) {
  const db: Queryable = {
    query: <T>(sql: string) => {
      let rows: unknown[] = [];
      if (sql.includes("from imports"))
        rows = [
          {
            id: "imp",
            tenant_id: "t",
            created_at: new Date(0),
            created_by: "a",
            row_count: 20_000,
          },
        ];
      else if (sql.includes("count(*)")) {
        state.counts++;
        rows = [
          { s: "created", n: state.open },
          { s: "emailed", n: state.emailed },
        ];
      }
      return Promise.resolve({ rows: rows as T[], rowCount: rows.length });
    },
    exec: () => Promise.resolve(),
  };
  return db;
}

describe("import progress counts", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shares one count while many rows are open and counts afresh near the end", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const state = { open: 15_000, emailed: 5_000, counts: 0 };
    const db = fakeDb(state);
    const [a, b] = await Promise.all([
      importProgress(db, "t", "imp"),
      importProgress(db, "t", "imp"),
    ]);
    expect(state.counts).toBe(1);
    expect(a.counts.created).toBe(15_000);
    expect(b.counts.created).toBe(15_000);
    state.open = 1_000;
    state.emailed = 19_000;
    // within the reuse window, many open: the recent count
    expect((await importProgress(db, "t", "imp")).counts.created).toBe(15_000);
    expect(state.counts).toBe(1);
    vi.setSystemTime(new Date("2026-01-01T00:00:02.100Z"));
    expect((await importProgress(db, "t", "imp")).counts.created).toBe(1_000);
    // few open rows: every request counts, so `done` is seen as soon as it is true
    state.open = 0;
    state.emailed = 20_000;
    const last = await importProgress(db, "t", "imp");
    expect(last.done).toBe(true);
    expect(last.counts.emailed).toBe(20_000);
    expect(state.counts).toBe(3);
  });
});
