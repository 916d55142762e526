// SMTP pace against a server that throttles: the worker's email outbox sends 60 invitations at
// most 20 per second over at most 3 connections, while the server answers 421/454 for its first
// 1.2 s. Every invitee gets exactly one message, the pace holds (from the server's own receive
// times), and the import shows why it waits while the server throttles.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/db.ts";
import { importProgress } from "../features/invitations/progress.ts";
import { DEFAULT_BRANDING } from "../mail/invitation-email.ts";
import { createMailer, type Mailer } from "../mail/mailer.ts";
import { openTestDb } from "../test/databases.ts";
import { createFakeAuth0, FAKE_ADMIN_ROLE_ID } from "../test/fake-auth0.ts";
import { makeImport } from "../test/seed-data.ts";
import { waitFor } from "./test/harness.ts";
import {
  startThrottlingSmtp,
  type ThrottlingSmtp,
} from "./test/throttling-smtp.ts";
import { startPipeline, type Pipeline } from "./worker.ts";

const PEOPLE = 60;
const PER_SECOND = 20;
const CONNECTIONS = 3;

let db: Db;
let smtp: ThrottlingSmtp;
let mailer: Mailer;
let pipeline: Pipeline | undefined;

beforeAll(async () => {
  db = await openTestDb("pglite");
  smtp = await startThrottlingSmtp();
  mailer = createMailer({
    smtpUrl: smtp.smtpUrl,
    from: "Guestlist <no-reply@guestlist.example>",
    maxConnections: CONNECTIONS,
    maxPerSecond: PER_SECOND,
    basePauseMs: 300,
    maxPauseMs: 1_000,
  });
});
afterAll(async () => {
  await pipeline?.stop();
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

test("paces invitations, backs off on 421/454, sends each exactly once, and says why it waits", async () => {
  // The server timestamps what it receives on this process's event loop: a stall of d ms there
  // lets the messages of d ms arrive at one timestamp, so the window check allows for the worst
  // stall measured during the run (0 on a quiet machine: the allowance is the rate's own +1).
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  await db.query("update tenants set seat_limit = 1000 where id = 'acme'");
  const importId = await makeImport(db, "acme", PEOPLE);
  // What the batch step leaves behind once Auth0 has created the users: rows owing an email.
  await db.query(
    `insert into invitations (id, tenant_id, import_id, row_number, email, user_id, state, invited_by, mail_due_at)
     select gen_random_uuid(), 'acme', $1, g, 'paced.' || g || '@acme.test', 'auth0|paced' || g, 'created', 'auth0|admin', now()
     from generate_series(1, $2::int) g`,
    [importId, PEOPLE],
  );
  smtp.throttleFor(1_200);
  pipeline = startPipeline(
    {
      db,
      auth0: createFakeAuth0(),
      mailer,
      publicUrl: "http://localhost:3000",
      branding: DEFAULT_BRANDING,
      adminRoleId: () => Promise.resolve(FAKE_ADMIN_ROLE_ID),
      log: {
        info: () => undefined,
        warn: () => undefined,
        error: console.error,
      },
    },
    { leaseMs: 12_000, idleMs: 30 },
  );
  const reasons = new Set<string>();
  await waitFor(
    "every invitation emailed",
    async () => {
      const p = await importProgress(db, "acme", importId);
      if (p.waitingReason) reasons.add(p.waitingReason);
      return p.counts.emailed === PEOPLE;
    },
    60_000,
  );
  // Nothing more may arrive (no second send of anything).
  await new Promise((r) => setTimeout(r, 1_000));
  await pipeline.stop();
  pipeline = undefined;

  // The server throttled with both replies, and the admin saw it as the import's waiting reason.
  expect(new Set(smtp.throttled.map((t) => t.code))).toEqual(
    new Set([421, 454]),
  );
  expect(
    [...reasons].some((r) => r.startsWith("The email server is throttling")),
    [...reasons].join(" | "),
  ).toBe(true);

  // Exactly one message per invitee.
  const perAddress = new Map<string, number>();
  for (const r of smtp.received)
    perAddress.set(r.to, (perAddress.get(r.to) ?? 0) + 1);
  expect(perAddress.size).toBe(PEOPLE);
  expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
  expect(smtp.received).toHaveLength(PEOPLE);

  // The pace, from the server's receive times: in any 1 s window at most PER_SECOND messages
  // (plus one for timer and network jitter at the window's edges), and the mean rate within it.
  const times = smtp.received.map((r) => r.at).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] ?? 0;
    busiest = Math.max(
      busiest,
      times.filter((t) => t >= start && t < start + 1_000).length,
    );
  }
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const meanPerSecond = ((times.length - 1) * 1_000) / (last - first);
  stalls.disable();
  // Beyond the timer's resolution, the longest stall of the event loop the server shares.
  const stallMs = Math.max(0, stalls.max / 1e6 - 10);
  const allowed = PER_SECOND + 1 + Math.floor(stallMs / (1_000 / PER_SECOND));
  console.log(
    `[smtp pace] ${times.length} messages in ${last - first} ms: ${meanPerSecond.toFixed(1)}/s, busiest 1 s window ${busiest}` +
      ` (allowed ${allowed}: longest event-loop stall ${stallMs.toFixed(0)} ms), ` +
      `${smtp.throttled.length} throttling replies, at most ${smtp.maxOpenConnections} connections`,
  );
  expect(busiest).toBeLessThanOrEqual(allowed);
  expect(meanPerSecond).toBeLessThanOrEqual(PER_SECOND * 1.02);
  expect(smtp.maxOpenConnections).toBeLessThanOrEqual(CONNECTIONS);

  // The outbox is empty and the waiting reason gone.
  const owed = await db.query(
    "select 1 from invitations where import_id = $1 and (mail_due_at is not null or waiting_reason is not null)",
    [importId],
  );
  expect(owed.rowCount).toBe(0);
  expect((await importProgress(db, "acme", importId)).waitingReason).toBeNull();
}, 120_000);
