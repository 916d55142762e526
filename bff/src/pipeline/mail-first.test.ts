import { describe, expect, it } from "vitest";
import type { Db } from "../db/db.ts";
import { createMailFirst, yieldingDb } from "./mail-first.ts";

function fakeDb(engine: Db["engine"], log: string[]): Db {
  return {
    engine,
    query: <T>(sql: string) => {
      log.push(sql);
      return Promise.resolve({ rows: [] as T[], rowCount: 0 });
    },
    exec: (sql) => {
      log.push(sql);
      return Promise.resolve();
    },
    transaction: (fn) => {
      log.push("begin");
      return fn({
        query: <T>() => Promise.resolve({ rows: [] as T[], rowCount: 0 }),
        exec: () => Promise.resolve(),
      });
    },
    close: () => Promise.resolve(),
  };
}

describe("mail first", () => {
  it("holds batch statements on PGlite while a mail statement is pending", async () => {
    const log: string[] = [];
    const mailFirst = createMailFirst();
    const db = fakeDb("pglite", log);
    const batchDb = yieldingDb(db, mailFirst);
    let finishMail!: () => void;
    const mail = mailFirst.during(
      () =>
        new Promise<void>((resolve) => {
          log.push("mail claim");
          finishMail = resolve;
        }),
    );
    const batch = batchDb.query("batch update");
    const tx = batchDb.transaction(() => Promise.resolve("ok"));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(["mail claim"]);
    expect(mailFirst.pending).toBe(1);
    finishMail();
    await mail;
    await batch;
    expect(await tx).toBe("ok");
    expect(log).toEqual(["mail claim", "batch update", "begin"]);
    expect(mailFirst.pending).toBe(0);
  });

  it("releases waiters when the mail statement fails, and gates nothing on Postgres", async () => {
    const log: string[] = [];
    const mailFirst = createMailFirst();
    await expect(
      mailFirst.during(() => Promise.reject(new Error("db down"))),
    ).rejects.toThrow("db down");
    await yieldingDb(fakeDb("pglite", log), mailFirst).query("after");
    const pg = fakeDb("postgres", log);
    expect(yieldingDb(pg, mailFirst)).toBe(pg);
    expect(log).toEqual(["after"]);
  });
});
