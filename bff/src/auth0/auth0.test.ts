// Contract tests: the real adapter (real SDK) against the emulator started in-process.
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";
import { testConfig, type Config } from "../config.ts";
import { openDb, type Db } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { createAuth0 } from "./auth0.ts";
import { inLane } from "./lanes.ts";
import { createRateBudget } from "./rate-budget.ts";
import type { Auth0, BulkImportUser } from "./types.ts";

let emu: RunningEmulator;
let db: Db;
let config: Config;
let auth0: Auth0;

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.status === 204 ? null : res.json();
}

interface Logged {
  method: string;
  path: string;
  status: number;
}
async function requests(): Promise<Logged[]> {
  return (
    (await control("GET", "/__emulator/requests")) as { requests: Logged[] }
  ).requests;
}

let seq = 0;
/** A bulk-import user: the file carries user_id without the strategy prefix; Auth0 adds "auth0|". */
function importUser(tenant = "acme"): BulkImportUser & { id: string } {
  const n = `${Date.now().toString(16)}${(++seq).toString(16)}`
    .padStart(24, "0")
    .slice(-24);
  const user = {
    user_id: n,
    email: `contract-${n}@${tenant}.test`,
    email_verified: false,
    given_name: "Con",
    app_metadata: { tenant_id: tenant },
  };
  // `id` is not enumerable, so it stays out of the import file (Auth0 rejects unknown fields).
  return Object.defineProperty(user, "id", {
    value: `auth0|${n}`,
    enumerable: false,
  }) as BulkImportUser & { id: string };
}

async function waitForJob(jobId: string) {
  for (let i = 0; i < 100; i++) {
    const job = await auth0.getJob(jobId);
    if (job.status === "completed" || job.status === "failed") return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("job did not finish");
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, bcryptRounds: 4 });
  config = testConfig({
    AUTH0_ISSUER_BASE_URL: `${emu.url}/`,
    AUTH0_MANAGEMENT_URL: emu.url,
  });
  db = await openDb({});
  await migrate(db);
  auth0 = createAuth0(config, {
    limiter: createRateBudget(db, config.auth0.rateLimit),
    maxRetries: 0,
  });
});
afterAll(async () => {
  await emu.close();
  await db.close();
});
beforeEach(async () => {
  await control("PUT", "/__emulator/rate-limit", { plan: "enterprise" });
  await control("DELETE", "/__emulator/faults");
  await control("DELETE", "/__emulator/requests");
});

describe("the Auth0 adapter against the emulator", () => {
  test("reads the connection and its disable_signup flag", async () => {
    expect(await auth0.getConnection()).toEqual({
      id: "con_GuestlistLocal01",
      name: "Username-Password-Authentication",
      disableSignup: true,
    });
  });

  test("imports users with a job, reads its status, and reports duplicates as job errors", async () => {
    const users = [importUser(), importUser()];
    const { jobId } = await auth0.createUsersImportJob({
      users,
      externalId: "contract-1",
    });
    expect(jobId).toMatch(/^job_/);
    expect(await waitForJob(jobId)).toMatchObject({
      status: "completed",
      summary: { inserted: 2, failed: 0, total: 2 },
    });
    expect(await auth0.getJobErrors(jobId)).toEqual([]);
    const again = await auth0.createUsersImportJob({
      users: [users[0] as BulkImportUser],
      externalId: "contract-2",
    });
    await waitForJob(again.jobId);
    const errors = await auth0.getJobErrors(again.jobId);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.user.email).toBe(users[0]?.email);
    expect(errors[0]?.errors[0]?.code).toBe("DUPLICATED_USER");
  });

  test("finds users by id, email and tenant; blocks and deletes them", async () => {
    const u = importUser();
    await waitForJob(
      (
        await auth0.createUsersImportJob({
          users: [u],
          externalId: "contract-3",
        })
      ).jobId,
    );
    expect(await auth0.getUser(u.id)).toMatchObject({
      userId: u.id,
      email: u.email,
      tenantId: "acme",
      blocked: false,
      emailVerified: false,
    });
    expect(
      (await auth0.usersByEmail(u.email.toUpperCase())).map((x) => x.userId),
    ).toEqual([u.id]);
    const page = await auth0.searchTenantUsers("acme", 0);
    expect(page.users.map((x) => x.email)).toEqual(
      expect.arrayContaining(["admin@acme.test", u.email]),
    );
    expect(page.users.every((x) => x.tenantId === "acme")).toBe(true);
    expect((await auth0.updateUser(u.id, { blocked: true })).blocked).toBe(
      true,
    );
    await auth0.deleteUser(u.id);
    expect(await auth0.getUser(u.id)).toBeNull();
    await expect(auth0.deleteUser(u.id)).resolves.toBeUndefined();
  });

  test("creates verification and password tickets as URLs", async () => {
    const u = importUser();
    await waitForJob(
      (
        await auth0.createUsersImportJob({
          users: [u],
          externalId: "contract-4",
        })
      ).jobId,
    );
    const verify = await auth0.createEmailVerificationTicket({
      userId: u.id,
      resultUrl: "http://localhost:3000/x",
      ttlSec: 600,
    });
    expect(verify).toMatch(/^http.*ticket=/);
    const pw = await auth0.createPasswordChangeTicket({
      userId: u.id,
      resultUrl: "http://localhost:3000/y",
      ttlSec: 600,
      markEmailAsVerified: true,
    });
    expect(pw).toMatch(/^http.*ticket=/);
  });

  test("maps Auth0 errors to our codes", async () => {
    await expect(
      auth0.createEmailVerificationTicket({
        userId: "auth0|000000000000000000000000",
        resultUrl: "http://localhost:3000/x",
        ttlSec: 60,
      }),
    ).rejects.toMatchObject({ code: "not_found", statusCode: 404 });
  });

  test("never retries import-job creation after a 5xx", async () => {
    await control("POST", "/__emulator/faults", {
      method: "POST",
      path: "/api/v2/jobs/users-imports",
      status: 503,
      count: 1,
    });
    const retrying = createAuth0(config, { maxRetries: 2 });
    await expect(
      retrying.createUsersImportJob({
        users: [importUser()],
        externalId: "contract-5",
      }),
    ).rejects.toMatchObject({ code: "upstream", statusCode: 502 });
    const posts = (await requests()).filter(
      (r) => r.method === "POST" && r.path === "/api/v2/jobs/users-imports",
    );
    expect(posts).toHaveLength(1);
  });

  test("retries a read after a 5xx fault and succeeds", async () => {
    await control("POST", "/__emulator/faults", {
      method: "GET",
      path: "/api/v2/connections/con_GuestlistLocal01",
      status: 500,
      count: 1,
    });
    const retrying = createAuth0(config, { maxRetries: 2 });
    await expect(retrying.getConnection()).resolves.toMatchObject({
      disableSignup: true,
    });
  });

  test("rides out a 429 storm within the shared budget", async () => {
    await control("PUT", "/__emulator/rate-limit", { burst: 2, perSecond: 4 });
    const storm = () =>
      Promise.allSettled(
        Array.from({ length: 12 }, () =>
          auth0.getUser("auth0|000000000000000000000000"),
        ),
      );
    // First storm: the budget still believes the configured plan (50 at once), so Auth0 refuses most.
    expect((await storm()).every((r) => r.status === "fulfilled")).toBe(true);
    const first = await requests();
    await control("DELETE", "/__emulator/requests");
    // Second storm: it has learned the real bucket (X-RateLimit-Limit) and rate (halved on 429).
    const started = Date.now();
    expect((await storm()).every((r) => r.status === "fulfilled")).toBe(true);
    const second = await requests();
    const count = (log: Logged[], status: number) =>
      log.filter(
        (r) => r.path.startsWith("/api/v2/users/") && r.status === status,
      ).length;
    console.log(
      `429 storm: first ${count(first, 429)} × 429, then ${count(second, 429)} × 429 in ${Date.now() - started} ms`,
    );
    expect(count(first, 404) + count(second, 404)).toBe(24); // every call got its real answer
    expect(count(first, 429)).toBeGreaterThan(0);
    expect(count(second, 429)).toBeLessThan(count(first, 429));
  });

  test("surfaces rate_limited with Retry-After when the storm outlasts its patience", async () => {
    await control("PUT", "/__emulator/rate-limit", {
      burst: 1,
      perSecond: 0.2,
    });
    const impatient = createAuth0(config, {
      limiter: createRateBudget(db, config.auth0.rateLimit, {
        id: "impatient",
        maxWaitMs: 200,
      }),
      maxRetries: 0,
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => impatient.getConnection()),
    );
    const rejected = results.filter(
      (r): r is PromiseRejectedResult => r.status === "rejected",
    );
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.reason).toMatchObject({
      code: "rate_limited",
      statusCode: 429,
    });
  });
  test("an interactive request's call fails at once when its lane has no token in time: no SDK retry, no call to Auth0", async () => {
    await control("PUT", "/__emulator/rate-limit", { plan: "enterprise" });
    const limiter = createRateBudget(
      db,
      { burst: 1, perSecond: 0.2 },
      { id: `deadline-${Date.now()}`, inviteeHeadroom: 0 },
    );
    const adapter = createAuth0(config, { limiter, maxRetries: 2 });
    await limiter.acquire(1, { lane: "tenant:acme" }); // the tenant's burst took the bucket
    await control("DELETE", "/__emulator/requests");
    const asked = Date.now();
    const error: unknown = await inLane(
      { lane: "tenant:acme", deadline: Date.now() + 2_000 },
      () => adapter.getConnection(),
    ).catch((e: unknown) => e);
    expect(Date.now() - asked).toBeLessThan(1_000); // refill takes 5 s: no point in waiting
    expect(error).toMatchObject({ code: "rate_limited", statusCode: 429 });
    expect(
      (error as { retryAfterSeconds?: number }).retryAfterSeconds,
    ).toBeGreaterThan(2);
    const log = await requests();
    expect(log.filter((r) => r.path.startsWith("/api/v2/"))).toEqual([]);
  });
});
