// The batch step's use of job-poll.ts: the first poll is scheduled from the file's size, Auth0's
// time_left_seconds shortens the wait, and a completed job without failures is settled without
// reading its error list (one Management API call less per file).
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/db.ts";
import { DEFAULT_BRANDING } from "../mail/invitation-email.ts";
import { openTestDb } from "../test/databases.ts";
import {
  createFakeAuth0,
  FAKE_ADMIN_ROLE_ID,
  type FakeAuth0,
} from "../test/fake-auth0.ts";
import { runBatchStep } from "./batch-step.ts";
import { enqueueImport, FIRST_BATCH_USERS } from "./enqueue.ts";
import { firstPollMs } from "./job-poll.ts";
import { createPipelineContext } from "./worker.ts";
import type { PipelineContext } from "./options.ts";

let db: Db;
let fake: FakeAuth0;
let ctx: PipelineContext;

beforeAll(async () => {
  db = await openTestDb("pglite");
  await db.query("update tenants set seat_limit = 1000 where id = 'acme'");
  fake = createFakeAuth0();
  ctx = createPipelineContext({
    db,
    auth0: fake,
    mailer: { send: () => Promise.resolve(), close: () => undefined } as never,
    publicUrl: "http://localhost:3000",
    branding: DEFAULT_BRANDING,
    adminRoleId: () => Promise.resolve(FAKE_ADMIN_ROLE_ID),
    log: { info: () => undefined, warn: () => undefined, error: console.error },
  });
});
afterAll(() => db?.close());

async function firstBatch(importId: string) {
  const r = await db.query<{
    id: string;
    state: string;
    job_id: string | null;
    poll_delay_ms: number;
    due_in_ms: number;
  }>(
    `select id, state, job_id, poll_delay_ms,
            extract(epoch from (next_at - now())) * 1000 as due_in_ms
     from import_batches where import_id = $1 order by seq limit 1`,
    [importId],
  );
  const b = r.rows[0];
  if (!b) throw new Error("no batch");
  return { ...b, due_in_ms: Number(b.due_in_ms) };
}

const makeDue = (id: string) =>
  db.query("update import_batches set next_at = now() where id = $1", [id]);

test("first poll from the file's size, time_left shortens the wait, no error list when nothing failed", async () => {
  const { importId } = await enqueueImport(db, {
    tenantId: "acme",
    idempotencyKey: "poll-step",
    actor: { sub: "auth0|admin", email: "admin@acme.test" },
    rows: Array.from({ length: FIRST_BATCH_USERS + 20 }, (_, i) => ({
      email: `poll.${i}@acme.test`,
    })),
  });
  // Submit the first file (FIRST_BATCH_USERS people).
  expect(await runBatchStep(ctx)).toBe(true);
  let b = await firstBatch(importId);
  expect(b.state).toBe("submitted");
  const expected = firstPollMs(FIRST_BATCH_USERS, ctx.options);
  expect(b.poll_delay_ms).toBe(expected);
  expect(b.due_in_ms).toBeGreaterThan(0);
  expect(b.due_in_ms).toBeLessThanOrEqual(expected);

  // Auth0 says the job is still running and ends within a second: the wait is min(back-off, that).
  const entry = fake.jobs.get(b.job_id ?? "");
  if (!entry) throw new Error("no job");
  const completed = entry.job;
  entry.job = { id: completed.id, status: "processing", timeLeftSeconds: 0 };
  await makeDue(b.id);
  await runBatchStep(ctx);
  b = await firstBatch(importId);
  expect(b.state).toBe("submitted");
  expect(b.due_in_ms).toBeLessThanOrEqual(ctx.options.pollMinMs);
  expect(b.poll_delay_ms).toBe(Math.round(expected * 1.6));

  // Completed with summary.failed 0: every row created, and the error list never asked for.
  entry.job = completed;
  await makeDue(b.id);
  await runBatchStep(ctx);
  b = await firstBatch(importId);
  expect(b.state).toBe("done");
  expect(fake.calls.filter((c) => c.startsWith("getJobErrors"))).toEqual([]);
  const created = await db.query<{ n: number }>(
    "select count(*)::int as n from invitations where batch_id = $1 and state = 'created'",
    [b.id],
  );
  expect(created.rows[0]?.n).toBe(FIRST_BATCH_USERS);
});
