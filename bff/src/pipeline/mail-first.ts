// Mail rounds before batch statements on in-process PGlite. PGlite runs every statement on the
// BFF's event loop, one at a time (docs/benchmarks.md, issue 14): while the two batch loops issue
// statement after statement, a mail round's claim or record queues behind them, and the SMTP
// replies of the messages on the wire wait for the event loop. So the batch loops see the
// database through `yieldingDb`: before each statement (or transaction) they let pending I/O run
// (a macrotask turn, so SMTP replies are handled) and wait while a mail statement is pending.
// On Postgres statements run in the server, so nothing is gated there.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Db, Queryable } from "../db/db.ts";

export interface MailFirst {
  /** runs a mail statement; batch statements wait until no mail statement is pending */
  during<T>(fn: () => Promise<T>): Promise<T>;
  /** resolves when no mail statement is pending (at once when none is) */
  clear(): Promise<void>;
  readonly pending: number;
}

export function createMailFirst(): MailFirst {
  let pending = 0;
  let waiters: (() => void)[] = [];
  return {
    get pending() {
      return pending;
    },
    async during(fn) {
      pending++;
      try {
        return await fn();
      } finally {
        pending--;
        if (pending === 0) {
          const wake = waiters;
          waiters = [];
          for (const w of wake) w();
        }
      }
    },
    clear() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** The database as the batch loops use it: each statement gives way to I/O and to mail first. */
export function yieldingDb(db: Db, mailFirst: MailFirst): Db {
  if (db.engine !== "pglite") return db;
  const giveWay = async (): Promise<void> => {
    await nextTurn();
    await mailFirst.clear();
  };
  const q: Queryable = {
    async query<T>(sql: string, params?: unknown[]) {
      await giveWay();
      return db.query<T>(sql, params);
    },
    async exec(sql) {
      await giveWay();
      return db.exec(sql);
    },
  };
  return {
    ...q,
    engine: db.engine,
    close: () => db.close(),
    async transaction(fn) {
      await giveWay();
      return db.transaction(fn);
    },
  };
}
