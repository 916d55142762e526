import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Keys } from "../keys.ts";
import { hashPassword, type EmuJob, type Store } from "../store/index.ts";
import { BASE_URL, buildTestEmulator } from "../test/build-test-emulator.ts";
import { processJobs } from "./import-worker.ts";
import { validateImportUser } from "./import-validate.ts";
import {
  mgmtCaller,
  mgmtToken,
  multipartBody,
  type MgmtCaller,
} from "../test/mgmt-caller.ts";

const CON = "con_GuestlistLocal01";
let app: FastifyInstance;
let store: Store;
let keys: Keys;
let call: MgmtCaller;

beforeEach(async () => {
  ({ app, store, keys } = await buildTestEmulator());
  call = await mgmtCaller(app, keys, BASE_URL);
  // so slow that after the first user nothing moves unless a test drives processJobs(store, now)
  await app.inject({
    method: "PUT",
    url: "/__emulator/jobs",
    payload: { usersPerSecond: 0.001 },
  });
});
afterEach(() => app.close());

async function upload(users: unknown, fields: Record<string, string> = {}) {
  const content = typeof users === "string" ? users : JSON.stringify(users);
  const { payload, contentType } = multipartBody(
    {
      connection_id: CON,
      upsert: "false",
      send_completion_email: "false",
      ...fields,
    },
    { name: "users", content },
  );
  const token = await mgmtToken(keys, BASE_URL);
  return app.inject({
    method: "POST",
    url: "/api/v2/jobs/users-imports",
    payload,
    headers: { "content-type": contentType, authorization: `Bearer ${token}` },
  });
}

function runToEnd(id: string): EmuJob {
  const job = store.jobs.get(id);
  if (!job) throw new Error("no job");
  processJobs(store, Date.now());
  processJobs(store, (job.started_ms ?? Date.now()) + 1e12);
  return job;
}

describe("bulk import validation", () => {
  test("accepts a schema-valid user and reports each problem with Auth0's codes", () => {
    expect(
      validateImportUser({
        email: "a@b.test",
        email_verified: false,
        app_metadata: { tenant_id: "acme" },
      }),
    ).toEqual([]);
    expect(validateImportUser({ name: "x" })).toEqual([
      {
        code: "OBJECT_REQUIRED",
        message: "Missing required property: email",
        path: "email",
      },
    ]);
    expect(validateImportUser({ email: "not-an-email" })[0]).toMatchObject({
      code: "FORMAT",
      path: "email",
    });
    expect(
      validateImportUser({ email: "a@b.test", blocked: "no" })[0],
    ).toMatchObject({ code: "INVALID_TYPE", path: "blocked" });
    expect(
      validateImportUser({ email: "a@b.test", invited: true })[0],
    ).toMatchObject({
      code: "OBJECT_ADDITIONAL_PROPERTIES",
      message: "Additional properties not allowed: invited",
    });
    expect(
      validateImportUser({ email: "a@b.test", mfa_factors: [] })[0],
    ).toMatchObject({ code: "ARRAY_LENGTH_SHORT" });
    expect(
      validateImportUser({
        email: "a@b.test",
        app_metadata: { user_id: "x" },
      })[0],
    ).toMatchObject({ code: "NOT_PASSED", path: "app_metadata.user_id" });
  });
});

describe("POST /jobs/users-imports", () => {
  test("creates a pending job that progresses to completed with summary counts", async () => {
    const res = await upload(
      [
        { email: "Ann@acme.test", user_id: "ann-1" },
        {
          email: "bob@acme.test",
          email_verified: true,
          password_hash: hashPassword("x", 4),
        },
      ],
      { external_id: "batch-1" },
    );
    expect(res.statusCode).toBe(202);
    const job = res.json<Record<string, string>>();
    expect(job).toMatchObject({
      type: "users_import",
      status: "pending",
      connection_id: CON,
      connection: "Username-Password-Authentication",
      external_id: "batch-1",
    });
    expect(job.id).toMatch(/^job_[A-Za-z0-9]{16}$/);
    const id = job.id ?? "";

    processJobs(store, Date.now());
    const processing = (await call({ url: `/jobs/${id}` })).json<
      Record<string, unknown>
    >();
    expect(processing).toMatchObject({
      status: "processing",
      percentage_done: 50,
      time_left_seconds: 1000,
    });

    runToEnd(id);
    expect((await call({ url: `/jobs/${id}` })).json()).toMatchObject({
      status: "completed",
      summary: { failed: 0, updated: 0, inserted: 2, total: 2 },
    });
    expect(store.users.get("auth0|ann-1")).toMatchObject({
      email: "ann@acme.test",
      email_verified: false,
    });
    expect(store.users.byEmail("bob@acme.test")?.email_verified).toBe(true);
    expect((await call({ url: `/jobs/${id}/errors` })).statusCode).toBe(204);
  });

  test("existing emails fail with DUPLICATED_USER, in-file duplicates and invalid rows fail alone", async () => {
    const res = await upload([
      { email: "admin@acme.test", email_verified: true },
      { email: "new@acme.test" },
      { email: "NEW@acme.test" },
      { email: "bad", password_hash: "$2b$10$secret" },
    ]);
    const id = res.json<{ id: string }>().id;
    runToEnd(id);
    expect((await call({ url: `/jobs/${id}` })).json()).toMatchObject({
      summary: { failed: 3, inserted: 1, updated: 0, total: 4 },
    });
    const errors = (await call({ url: `/jobs/${id}/errors` })).json<
      {
        user: Record<string, unknown>;
        errors: { code: string; message: string }[];
      }[]
    >();
    expect(errors[0]).toEqual({
      user: { email: "admin@acme.test", email_verified: true },
      errors: [
        {
          code: "DUPLICATED_USER",
          message: "The user already exist and upsert parameter is false",
        },
      ],
    });
    expect(errors[1]?.errors[0]?.code).toBe("CONFLICT_EMAIL");
    expect(errors[2]?.user.password_hash).toBe("*****");
    expect(errors[2]?.errors[0]?.code).toBe("FORMAT");
  });

  test("upsert=true updates only upsertable attributes and replaces metadata", async () => {
    store.users.save({
      ...(store.users.byEmail("admin@acme.test") ?? ({} as never)),
      user_metadata: { a: 1, b: 2 },
    });
    const res = await upload(
      [
        {
          email: "admin@acme.test",
          given_name: "Adele",
          user_metadata: { a: 9 },
        },
      ],
      { upsert: "true" },
    );
    runToEnd(res.json<{ id: string }>().id);
    expect(store.users.byEmail("admin@acme.test")).toMatchObject({
      given_name: "Adele",
      user_metadata: { a: 9 },
      app_metadata: { tenant_id: "acme" },
    });
    expect(
      store.users.byEmail("admin@acme.test")?.user_metadata,
    ).not.toHaveProperty("b");
  });

  test("the summary counts what the job did: inserted, updated, failed, total (the BFF skips the error list on failed 0)", async () => {
    const before = store.users.list().length;
    const res = await upload(
      [
        { email: "admin@acme.test", given_name: "Adele" },
        { email: "fresh.one@acme.test" },
        { email: "fresh.two@acme.test" },
        { email: "not-an-email" },
      ],
      { upsert: "true" },
    );
    const id = res.json<{ id: string }>().id;
    processJobs(store, Date.now());
    const processing = (await call({ url: `/jobs/${id}` })).json<
      Record<string, unknown>
    >();
    expect(processing.status).toBe("processing");
    expect(processing).not.toHaveProperty("summary");
    runToEnd(id);
    const done = (await call({ url: `/jobs/${id}` })).json<{
      summary: Record<string, number>;
    }>();
    expect(done.summary).toEqual({
      inserted: 2,
      updated: 1,
      failed: 1,
      total: 4,
    });
    expect(store.users.list().length - before).toBe(done.summary.inserted);
    const errors = (await call({ url: `/jobs/${id}/errors` })).json<
      unknown[]
    >();
    expect(errors).toHaveLength(done.summary.failed ?? -1);
  });

  test("files over 512,000 bytes get 413 with the spec's message", async () => {
    const big = JSON.stringify([
      { email: "x@acme.test", user_metadata: { pad: "x".repeat(512_000) } },
    ]);
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      statusCode: 413,
      error: "Payload Too Large",
      message: "Payload content length greater than maximum allowed: 512000",
    });
  });

  test("refuses missing parts, bad connection ids and empty files with the spec's messages", async () => {
    const token = await mgmtToken(keys, BASE_URL);
    const headers = (ct: string) => ({
      "content-type": ct,
      authorization: `Bearer ${token}`,
    });
    const noFile = multipartBody({ connection_id: CON });
    const r1 = await app.inject({
      method: "POST",
      url: "/api/v2/jobs/users-imports",
      payload: noFile.payload,
      headers: headers(noFile.contentType),
    });
    expect(r1.json()).toMatchObject({
      statusCode: 400,
      message: "Must provide 'users' file as multipart part.",
    });
    expect(
      (await upload("[]", { connection_id: "con_short" })).json(),
    ).toMatchObject({
      message:
        "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id.",
    });
    expect((await upload("")).json()).toMatchObject({
      message: "Users file must not be empty.",
    });
    expect(
      (await upload("[]", { connection_id: "con_0000000000000000" })).json(),
    ).toMatchObject({ message: "The connection does not exist." });
    const json = await app.inject({
      method: "POST",
      url: "/api/v2/jobs/users-imports",
      payload: { users: [] },
      headers: headers("application/json"),
    });
    expect(json.json()).toMatchObject({
      message: "Payload validation error: 'Invalid multipart payload format'.",
    });
  });

  test("a third concurrent import is refused with 429 until one finishes", async () => {
    const first = (
      await upload([{ email: "one@acme.test" }, { email: "one-b@acme.test" }])
    ).json<{
      id: string;
    }>().id;
    expect(
      (await upload([{ email: "two@acme.test" }, { email: "two-b@acme.test" }]))
        .statusCode,
    ).toBe(202);
    const third = await upload([{ email: "three@acme.test" }]);
    expect(third.statusCode).toBe(429);
    expect(third.json()).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      errorCode: "too_many_requests",
      message:
        "There are already 2 active import jobs. Please wait until they finish and try again.",
    });
    runToEnd(first);
    expect((await upload([{ email: "three@acme.test" }])).statusCode).toBe(202);
  });

  test("the refusal can be switched to 400 (PUT /__emulator/jobs concurrentRefusal)", async () => {
    const put = await app.inject({
      method: "PUT",
      url: "/__emulator/jobs",
      payload: { concurrentRefusal: "400" },
    });
    expect(put.json()).toMatchObject({ concurrentRefusal: "400" });
    expect(
      (
        await app.inject({
          method: "PUT",
          url: "/__emulator/jobs",
          payload: { concurrentRefusal: "503" },
        })
      ).statusCode,
    ).toBe(400);
    await upload([{ email: "one@acme.test" }, { email: "one-b@acme.test" }]);
    await upload([{ email: "two@acme.test" }, { email: "two-b@acme.test" }]);
    const third = await upload([{ email: "three@acme.test" }]);
    expect(third.statusCode).toBe(400);
    expect(third.json()).toMatchObject({
      statusCode: 400,
      error: "Bad Request",
      message:
        "There are already 2 active import jobs. Please wait until they finish and try again.",
    });
    store.reset();
    expect(
      (await app.inject({ url: "/__emulator/jobs" })).json(),
    ).toMatchObject({ concurrentRefusal: "429" });
  });

  test("a job can be made expired (POST /__emulator/jobs/{id}/expire); it stops counting as active", async () => {
    const first = (
      await upload([{ email: "one@acme.test" }, { email: "one-b@acme.test" }])
    ).json<{ id: string }>().id;
    await upload([{ email: "two@acme.test" }, { email: "two-b@acme.test" }]);
    const expired = await app.inject({
      method: "POST",
      url: `/__emulator/jobs/${first}/expire`,
    });
    expect(expired.json()).toEqual({
      id: first,
      type: "users_import",
      status: "expired",
    });
    expect((await call({ url: `/jobs/${first}` })).json()).toMatchObject({
      id: first,
      status: "expired",
    });
    processJobs(store, Date.now() + 1e12);
    expect(store.jobs.get(first)?.status).toBe("expired");
    expect((await upload([{ email: "three@acme.test" }])).statusCode).toBe(202);
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/__emulator/jobs/job_nope/expire",
        })
      ).statusCode,
    ).toBe(404);
  });

  test("a job fails as a whole on an unparsable file or when told to via the control knob", async () => {
    const broken = (await upload("{not json")).json<{ id: string }>().id;
    runToEnd(broken);
    const errors = (await call({ url: `/jobs/${broken}/errors` })).json<
      Record<string, unknown>
    >();
    expect(errors).toMatchObject({
      id: broken,
      status: "failed",
      type: "users_import",
      status_details: expect.stringContaining(
        "Failed to parse users file JSON",
      ) as unknown,
    });

    await app.inject({
      method: "PUT",
      url: "/__emulator/jobs",
      payload: { failNext: 1 },
    });
    const doomed = (await upload([{ email: "z@acme.test" }])).json<{
      id: string;
    }>().id;
    runToEnd(doomed);
    expect((await call({ url: `/jobs/${doomed}` })).json()).toMatchObject({
      status: "failed",
    });
    expect(store.users.byEmail("z@acme.test")).toBeUndefined();
  });

  test("the default speed imports 1,000 users in about a second", async () => {
    await app.inject({
      method: "PUT",
      url: "/__emulator/jobs",
      payload: { usersPerSecond: 1000 },
    });
    const users = Array.from({ length: 1000 }, (_, i) => ({
      email: `u${String(i)}@acme.test`,
    }));
    const id = (await upload(users)).json<{ id: string }>().id;
    processJobs(store, Date.now());
    const job = store.jobs.get(id);
    processJobs(store, (job?.started_ms ?? 0) + 500);
    expect(job?.processed).toBe(501);
    processJobs(store, (job?.started_ms ?? 0) + 1000);
    expect(job?.status).toBe("completed");
  });

  test("GET /jobs/{id} for an unknown job is 404", async () => {
    expect(
      (await call({ url: "/jobs/job_0000000000000000" })).json(),
    ).toMatchObject({ statusCode: 404, message: "Job not found." });
  });
});
