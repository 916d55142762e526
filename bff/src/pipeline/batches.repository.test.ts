// The "≤ 2 import jobs in flight" claim rule: a batch whose submission had an unknown outcome still
// holds a slot (Auth0 may run its orphan job) until it is resubmitted and reconciled.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../test/build-test-app.ts";
import { claimBatch } from "./batches.repository.ts";

let t: TestApp;
let importId: string;
beforeAll(async () => {
  t = await buildTestApp({});
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.query("delete from import_batches");
  importId = randomUUID();
  await t.db.query(
    `insert into imports (id, tenant_id, idempotency_key, created_by, row_count) values ($1, 'acme', $2, 'test', 0)`,
    [importId, randomUUID()],
  );
});

let seq = 0;
async function batch(
  state: string,
  extra: { ambiguous?: boolean; intent?: boolean; dueInMs?: number } = {},
): Promise<string> {
  const id = randomUUID();
  await t.db.query(
    `insert into import_batches (id, import_id, tenant_id, seq, state, ambiguous, intent_at, job_id, next_at)
     values ($1, $2, 'acme', $3, $4, $5, $6, $7, now() + $8 * interval '1 millisecond')`,
    [
      id,
      importId,
      ++seq,
      state,
      extra.ambiguous ?? false,
      extra.intent ? new Date(Date.now() - 60_000) : null,
      state === "submitted" ? "job_x" : null,
      extra.dueInMs ?? 0,
    ],
  );
  return id;
}

async function claimAll(): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const b = await claimBatch(t.db, {
      workerId: `w-${out.length}`,
      leaseMs: 60_000,
      maxInFlight: 2,
    });
    if (!b) return out;
    out.push(b.id);
  }
}

test("a batch waiting out the grace after an ambiguous submit still holds its slot", async () => {
  const submitted = await batch("submitted");
  // returned to pending after a 5xx / timeout: Auth0 may still run that job
  const orphanHolder = await batch("pending", {
    ambiguous: true,
    intent: true,
    dueInMs: 30_000,
  });
  await batch("pending");
  expect(await claimAll()).toEqual([submitted]);
  await t.db.query("update import_batches set next_at = now() where id = $1", [
    orphanHolder,
  ]);
  await t.db.query(
    "update import_batches set lease_owner = null, lease_until = null",
  );
  expect((await claimAll()).sort()).toEqual([submitted, orphanHolder].sort());
});

test("two orphan holders: each may be resubmitted itself, nothing new starts", async () => {
  const a = await batch("pending", { ambiguous: true, intent: true });
  const b = await batch("pending", {
    ambiguous: true,
    intent: true,
    dueInMs: 30_000,
  });
  const fresh = await batch("pending");
  expect(await claimAll()).toEqual([a]);
  await t.db.query("update import_batches set next_at = now() where id = $1", [
    b,
  ]);
  await t.db.query(
    "update import_batches set lease_owner = null, lease_until = null",
  );
  const claimed = await claimAll();
  expect(claimed.sort()).toEqual([a, b].sort());
  expect(claimed).not.toContain(fresh);
});

test("a new batch of rows confirmed missing (never submitted) holds no slot while it waits", async () => {
  const submitted = await batch("submitted");
  await batch("pending", { ambiguous: true, dueInMs: 30_000 });
  const fresh = await batch("pending");
  expect((await claimAll()).sort()).toEqual([submitted, fresh].sort());
});
