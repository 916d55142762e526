import { expect, test } from "vitest";
import { describeJobError, indexJobErrors } from "./job-errors.ts";

test("explains DUPLICATED_USER as an existing account at the company", () => {
  const f = describeJobError(
    {
      errors: [
        {
          code: "DUPLICATED_USER",
          message: "The user already exist and upsert parameter is false",
        },
      ],
    },
    "ExampleCo",
  );
  expect(f).toEqual({
    code: "DUPLICATED_USER",
    reason: "already has an account in ExampleCo",
  });
});

test("indexes errors by normalised email and keeps unknown codes visible", () => {
  const map = indexJobErrors(
    [
      {
        user: { email: " Ann@Acme.test " },
        errors: [{ code: "FORMAT", message: "bad", path: "given_name" }],
      },
      {
        user: { email: "bob@acme.test" },
        errors: [{ code: "SOMETHING_NEW", message: "?" }],
      },
    ],
    "ExampleCo",
  );
  expect(map.get("ann@acme.test")?.reason).toBe(
    "a field has the wrong format (given_name)",
  );
  expect(map.get("bob@acme.test")?.reason).toBe(
    "could not be created (SOMETHING_NEW)",
  );
});
