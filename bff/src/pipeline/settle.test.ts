// settle.ts without a database: writes that fail with database_unavailable are kept and replayed
// in order, one replay at a time, and other errors are not swallowed.
import { expect, test } from "vitest";
import { databaseUnavailable } from "../db/db.ts";
import { createSettler } from "./settle.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const down = () => databaseUnavailable(new Error("connect ECONNREFUSED"));

test("a write that meets an outage is kept and replayed, in order, once the database is back", async () => {
  const settler = createSettler(quiet);
  let up = false;
  const done: string[] = [];
  const write = (name: string) => () => {
    if (!up) return Promise.reject(down());
    done.push(name);
    return Promise.resolve();
  };
  await settler.settle("record job", write("job"));
  await settler.settle("record emails", write("emails"));
  expect(settler.pending).toBe(2);
  await expect(settler.flush()).rejects.toMatchObject({
    code: "database_unavailable",
  });
  expect(done).toEqual([]);
  up = true;
  await settler.flush();
  expect(done).toEqual(["job", "emails"]);
  expect(settler.pending).toBe(0);
});

test("loops flushing at the same time share one replay: nobody returns before the kept writes are in", async () => {
  const settler = createSettler(quiet);
  let up = false;
  let written = false;
  let release: () => void = () => {};
  const slow = new Promise<void>((r) => (release = r));
  await settler.settle("record emails", async () => {
    if (!up) throw down();
    await slow;
    written = true;
  });
  up = true;
  const first = settler.flush();
  // A second loop arrives while the first is replaying: it must wait for the same replay
  // (otherwise it could claim the rows whose emails were just sent, and mail them again).
  let secondReturned = false;
  const second = settler.flush().then(() => (secondReturned = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(secondReturned).toBe(false);
  release();
  await Promise.all([first, second]);
  expect(written).toBe(true);
});

test("other errors are thrown as usual; a kept write that can never succeed is dropped", async () => {
  const settler = createSettler(quiet);
  await expect(
    settler.settle("bad", () => Promise.reject(new Error("syntax error"))),
  ).rejects.toThrow("syntax error");
  expect(settler.pending).toBe(0);
  let up = false;
  await settler.settle("bad later", () =>
    up ? Promise.reject(new Error("constraint")) : Promise.reject(down()),
  );
  up = true;
  await settler.flush();
  expect(settler.pending).toBe(0);
});
