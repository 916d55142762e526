// The pipeline against refusals a real Auth0 tenant gives and the emulator's defaults do not:
// a third concurrent import job (429 or 400 naming active import jobs), 401/403 (a scope missing
// from the BFF's grant), and a job reported `expired`. The adapter's fetch is wrapped to answer
// those calls like Auth0 would; everything else is the emulator. Rows are never failed for these,
// and every import completes once the refusal stops.
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";
import { startHarness, waitFor, type Harness } from "./test/harness.ts";

interface Rule {
  method: string;
  path: RegExp;
  /** how many more times it applies */
  remaining: number;
  respond: (real: () => Promise<Response>) => Promise<Response>;
}

const rules: Rule[] = [];
const submits: string[] = [];

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const wrappedFetch: typeof fetch = async (input, init) => {
  const url = new URL(
    typeof input === "string"
      ? input
      : input instanceof URL
        ? input.href
        : input.url,
  );
  const method = (init?.method ?? "GET").toUpperCase();
  if (method === "POST" && url.pathname === "/api/v2/jobs/users-imports")
    submits.push(url.pathname);
  const rule = rules.find(
    (r) => r.remaining > 0 && r.method === method && r.path.test(url.pathname),
  );
  const real = () => fetch(input, init);
  if (!rule) return real();
  rule.remaining -= 1;
  return rule.respond(real);
};

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ fetchImpl: wrappedFetch });
  await h.t.db.query("update tenants set seat_limit = 10000 where id = 'acme'");
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  rules.length = 0;
  submits.length = 0;
});

function people(count: number, tag: string): { email: string }[] {
  n++;
  return Array.from({ length: count }, (_, i) => ({
    email: `${tag}.${n}.${i}@acme.test`,
  }));
}

async function importRows(rows: unknown[]): Promise<string> {
  const res = await h.t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/imports",
    headers: {
      authorization: `Bearer ${await h.t.tokens.admin("acme")}`,
      "idempotency-key": `key-${Date.now()}-${Math.random()}`,
    },
    payload: { rows },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ importId: string }>().importId;
}

interface Progress {
  done: boolean;
  counts: Record<string, number>;
  waitingReason: string | null;
}

async function progress(importId: string): Promise<Progress> {
  const res = await h.t.app.inject({
    url: `/api/tenants/acme/imports/${importId}`,
    headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
  });
  return res.json();
}

function usersWithPrefix(prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const u of Object.values(h.emulator.store.state.users))
    if (u.email.startsWith(prefix))
      counts.set(u.email, (counts.get(u.email) ?? 0) + 1);
  return counts;
}

async function expectAllEmailed(
  importId: string,
  prefix: string,
  count: number,
): Promise<void> {
  const p = await waitFor("import done", async () => {
    const x = await progress(importId);
    return x.done ? x : null;
  });
  expect(p.counts.failed ?? 0).toBe(0);
  expect(p.counts.emailed).toBe(count);
  const users = usersWithPrefix(prefix);
  expect(users.size).toBe(count);
  expect([...users.values()].every((c) => c === 1)).toBe(true);
}

const BUSY_MESSAGE =
  "There are already 2 active import jobs for this tenant; wait until one finishes";

describe("refusals of a real tenant", { timeout: 120_000 }, () => {
  for (const status of [429, 400]) {
    test(`a third concurrent import job refused with ${status} is waited out, not failed`, async () => {
      rules.push({
        method: "POST",
        path: /^\/api\/v2\/jobs\/users-imports$/,
        remaining: 3,
        respond: () =>
          Promise.resolve(
            json(status, {
              statusCode: status,
              error: status === 429 ? "Too Many Requests" : "Bad Request",
              message: BUSY_MESSAGE,
              ...(status === 429 ? { errorCode: "too_many_requests" } : {}),
            }),
          ),
      });
      const importId = await importRows(people(6, `busy${status}`));
      const waiting = await waitFor("busy waiting reason", async () => {
        const p = await progress(importId);
        return p.waitingReason?.includes("import jobs") ? p : null;
      });
      expect(waiting.counts.failed ?? 0).toBe(0);
      await expectAllEmailed(importId, `busy${status}.${n}.`, 6);
      expect(submits).toHaveLength(4); // 3 refusals, then the job; no attempt used up
      const batch = await h.t.db.query<{ attempts: number }>(
        "select attempts from import_batches where import_id = $1",
        [importId],
      );
      expect(batch.rows[0]?.attempts).toBe(1);
    });
  }

  test("a 403 for a missing scope pauses the import with that reason, shows in /api/health, then resumes", async () => {
    const message = "Insufficient scope, expected any of: create:users";
    rules.push({
      method: "POST",
      path: /^\/api\/v2\/jobs\/users-imports$/,
      remaining: 1_000,
      respond: () =>
        Promise.resolve(
          json(403, {
            statusCode: 403,
            error: "Forbidden",
            message,
            errorCode: "insufficient_scope",
          }),
        ),
    });
    const importId = await importRows(people(5, "scope"));
    const waiting = await waitFor("scope waiting reason", async () => {
      const p = await progress(importId);
      return p.waitingReason?.includes("create:users") ? p : null;
    });
    expect(waiting.waitingReason).toContain("lacks the scope create:users");
    expect(waiting.counts.failed ?? 0).toBe(0);
    const health = (await h.t.app.inject({ url: "/api/health" })).json<{
      status: string;
      checks: { auth0: { status: string; message?: string } };
      warnings: string[];
    }>();
    expect(health.status).toBe("degraded");
    expect(health.checks.auth0.status).toBe("down");
    expect(health.checks.auth0.message).toContain("create:users");
    expect(health.warnings.join("\n")).toContain("create:users");
    // Not retried blindly: a few re-probes with back-off, not a storm.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(submits.length).toBeLessThan(8);
    rules.length = 0; // the operator granted the scope
    await expectAllEmailed(importId, `scope.${n}.`, 5);
    const after = (await h.t.app.inject({ url: "/api/health" })).json<{
      warnings: string[];
    }>();
    expect(after.warnings.join("\n")).not.toContain("create:users");
  });

  test("a 401/403 while polling the job pauses it and resumes without resubmitting", async () => {
    rules.push({
      method: "GET",
      path: /^\/api\/v2\/jobs\/[^/]+$/,
      remaining: 3,
      respond: () =>
        Promise.resolve(
          json(403, {
            statusCode: 403,
            error: "Forbidden",
            message:
              "Insufficient scope, expected any of: create:users,read:users",
            errorCode: "insufficient_scope",
          }),
        ),
    });
    const importId = await importRows(people(4, "pollscope"));
    await waitFor(
      "poll waiting reason",
      async () =>
        (await progress(importId)).waitingReason?.includes("read:users") ??
        false,
    );
    await expectAllEmailed(importId, `pollscope.${n}.`, 4);
    expect(submits).toHaveLength(1);
  });

  test("an expired job whose users all exist is settled without a new job", async () => {
    rules.push({
      method: "GET",
      path: /^\/api\/v2\/jobs\/[^/]+$/,
      remaining: 1_000,
      respond: async (real) => {
        const r = await real();
        const job = (await r.json()) as { status: string };
        if (job.status === "completed") job.status = "expired";
        return json(r.status, job);
      },
    });
    const importId = await importRows(people(5, "expired"));
    await expectAllEmailed(importId, `expired.${n}.`, 5);
    expect(submits).toHaveLength(1);
  });

  test("an expired job: only rows whose user does not exist are submitted again, in a new batch", async () => {
    const rows = people(6, "expiredpart");
    const lost = new Set([rows[1]?.email, rows[4]?.email]);
    rules.push({
      method: "GET",
      path: /^\/api\/v2\/jobs\/[^/]+$/,
      remaining: 1_000,
      respond: async (real) => {
        const r = await real();
        const job = (await r.json()) as { status: string; id: string };
        if (job.status === "completed" && submits.length === 1) {
          // Auth0 lost two of them (say, per-user errors that are gone with the expired job)
          const users = h.emulator.store.state.users;
          for (const [id, u] of Object.entries(users))
            if (lost.has(u.email)) h.emulator.store.deleteUser(id);
          job.status = "expired";
        }
        return json(r.status, job);
      },
    });
    const importId = await importRows(rows);
    await expectAllEmailed(importId, `expiredpart.${n}.`, 6);
    expect(submits).toHaveLength(2);
    const batches = await h.t.db.query<{ state: string; n: number }>(
      `select b.state, count(i.id)::int as n from import_batches b left join invitations i on i.batch_id = b.id
       where b.import_id = $1 group by b.id, b.state, b.seq order by b.seq`,
      [importId],
    );
    expect(batches.rows).toEqual([
      { state: "done", n: 4 },
      { state: "done", n: 2 },
    ]);
  });
});
