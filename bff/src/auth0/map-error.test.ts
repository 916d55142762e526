// Management API refusals → AppError: 401/403 are a configuration problem naming the missing scope
// (never a 401/403 of ours, never retried blindly), and a refused third import job is "wait".
import { ManagementError } from "auth0";
import { describe, expect, test } from "vitest";
import {
  auth0ProblemOf,
  isImportJobsBusyMessage,
  mapAuth0Error,
  scopesFromMessage,
} from "./map-error.ts";

function auth0Error(statusCode: number, message: string): ManagementError {
  return new ManagementError({
    statusCode,
    body: {
      statusCode,
      error: "x",
      message,
      ...(statusCode === 403 ? { errorCode: "insufficient_scope" } : {}),
    },
  });
}

describe("mapAuth0Error", () => {
  test("a 403 for a missing scope names the scope and what to do", () => {
    const e = mapAuth0Error(
      auth0Error(403, "Insufficient scope, expected any of: create:users"),
      "create a users import job",
    );
    expect(e.code).toBe("upstream");
    expect(e.statusCode).toBe(502);
    expect(e.message).toContain("lacks the scope create:users");
    expect(e.message).toContain("pnpm auth0:setup");
    expect(e.details).toMatchObject({
      auth0Status: 403,
      auth0Problem: "configuration",
      missingScopes: ["create:users"],
    });
    expect(auth0ProblemOf(e)).toBe("configuration");
  });

  test("a 401 points at the BFF's credentials", () => {
    const e = mapAuth0Error(auth0Error(401, "Invalid token"), "read a user");
    expect(e.code).toBe("upstream");
    expect(e.message).toContain("AUTH0_CLIENT_SECRET");
    expect(auth0ProblemOf(e)).toBe("configuration");
  });

  test.each([429, 400])(
    "a %i naming active import jobs is 'wait and retry', not a rejection",
    (status) => {
      const e = mapAuth0Error(
        auth0Error(
          status,
          "There are already 2 active import jobs for this tenant",
        ),
        "create a users import job",
      );
      expect(e.code).toBe("rate_limited");
      expect(auth0ProblemOf(e)).toBe("import_jobs_busy");
    },
  );

  test("other 400s and 429s keep their meaning", () => {
    const bad = mapAuth0Error(
      auth0Error(400, "Connection must be enabled."),
      "create a users import job",
    );
    expect(bad.code).toBe("validation");
    expect(auth0ProblemOf(bad)).toBeNull();
    const limited = mapAuth0Error(
      auth0Error(429, "Global limit has been reached"),
      "read a user",
    );
    expect(limited.code).toBe("rate_limited");
    expect(auth0ProblemOf(limited)).toBeNull();
  });
});

test("scopesFromMessage and isImportJobsBusyMessage", () => {
  expect(
    scopesFromMessage(
      "Insufficient scope, expected any of: create:users,read:users",
    ),
  ).toEqual(["create:users", "read:users"]);
  expect(scopesFromMessage("Invalid token")).toEqual([]);
  for (const m of [
    "There are 2 active import jobs",
    "Too many concurrent jobs",
    "You have reached the limit of concurrent import jobs",
    "Maximum active users_import jobs reached",
  ])
    expect(isImportJobsBusyMessage(m), m).toBe(true);
  for (const m of [
    "Job not found.",
    "Global limit has been reached",
    "Users file must not be empty.",
  ])
    expect(isImportJobsBusyMessage(m), m).toBe(false);
});
