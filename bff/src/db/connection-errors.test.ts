// Which driver errors mean "the database is away" (503 database_unavailable) and which are bugs
// or bad data that must keep their own handling (docs/decisions/008-database-outages.md).
import { expect, test } from "vitest";
import { createManagementFetch } from "../auth0/management-fetch.ts";
import { AppError, isDatabaseUnavailable, toAppError } from "../errors.ts";
import { databaseUnavailable, isConnectionLost } from "./db.ts";

const withCode = (code: string, message = "x") =>
  Object.assign(new Error(message), { code });

test.each([
  ["57P01 admin shutdown", withCode("57P01")],
  ["57P03 starting up", withCode("57P03")],
  ["08006 connection failure", withCode("08006")],
  ["25006 read-only after a failover", withCode("25006")],
  ["ECONNREFUSED", withCode("ECONNREFUSED")],
  ["ECONNRESET", withCode("ECONNRESET")],
  ["terminated", new Error("Connection terminated unexpectedly")],
  ["connect timeout", new Error("timeout exceeded when trying to connect")],
  [
    "both addresses refused",
    new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
  ],
])("%s is an outage", (_name, error) => {
  expect(isConnectionLost(error)).toBe(true);
});

test.each([
  ["unique violation", withCode("23505")],
  ["syntax error", withCode("42601")],
  ["serialization failure", withCode("40001")],
  ["a plain bug", new TypeError("x is undefined")],
])("%s is not an outage", (_name, error) => {
  expect(isConnectionLost(error)).toBe(false);
});

test("the outage error is a 503 with Retry-After, also when wrapped by the Auth0 SDK", () => {
  const error = databaseUnavailable(
    withCode("57P01", "terminating connection"),
  );
  expect(error.toBody()).toEqual({
    statusCode: 503,
    code: "database_unavailable",
    message: "The database is temporarily unavailable; try again shortly",
  });
  expect(error.retryAfterSeconds).toBe(5);
  const wrapped = new Error("fetch failed", { cause: error });
  expect(isDatabaseUnavailable(wrapped)).toBe(true);
  expect(toAppError(wrapped)).toBe(error);
  expect(isDatabaseUnavailable(new AppError("upstream", "x"))).toBe(false);
});

test("Auth0's answer reaches the caller when the rate budget cannot record it (the job exists)", async () => {
  const down = () => Promise.reject(databaseUnavailable(withCode("57P01")));
  const limiter = {
    acquire: () => Promise.resolve(),
    tryAcquire: () => Promise.resolve({ granted: true as const }),
    observe: down,
  };
  const fetchImpl = () =>
    Promise.resolve(new Response('{"id":"job_1"}', { status: 201 }));
  const managementFetch = createManagementFetch({
    domain: "tenant.example",
    managementUrl: undefined,
    limiter,
    fetchImpl,
  });
  const url = "https://tenant.example/api/v2/jobs/users-imports";
  expect((await managementFetch(url, { method: "POST" })).status).toBe(201);
  // Before the call, an unreadable budget means no call at all.
  const refused = createManagementFetch({
    domain: "tenant.example",
    managementUrl: undefined,
    limiter: { ...limiter, acquire: down },
    fetchImpl: () => Promise.reject(new Error("must not be called")),
  });
  await expect(refused(url, { method: "POST" })).rejects.toMatchObject({
    code: "database_unavailable",
  });
});
