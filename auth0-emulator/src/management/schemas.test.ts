// Drift check: the emulator's transcribed request schemas (schemas.ts) must reach the same
// accept/refuse verdict as the official spec on a table of bodies.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { SpecChecker } from "../test/contract-spec.ts";
import { payloadValidator } from "./payload.ts";
import {
  changePasswordTicketSchema,
  createUserSchema,
  updateUserSchema,
  verificationEmailSchema,
  verifyEmailTicketSchema,
} from "./schemas.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const specDir =
  process.env.AUTH0_SPEC_DIR ?? resolve(repoRoot, "..", "shared", "auth0");
const hasSpec = existsSync(resolve(specDir, "management-api-oas.json"));
if (!hasSpec)
  console.warn(`[schemas] skipped: Auth0 spec folder not found at ${specDir}`);

const U = "auth0|65a000000000000000000001";
const CASES: [string, object, unknown[]][] = [
  [
    "post_users",
    createUserSchema,
    [
      { connection: "db", email: "a@b.test", password: "x" },
      {
        connection: "db",
        email: "a@b.test",
        app_metadata: { a: 1 },
        user_metadata: {},
        blocked: false,
        email_verified: true,
        verify_email: false,
        given_name: "A",
        family_name: "B",
        name: "A B",
        nickname: "a",
        user_id: "abc",
        username: "abc",
        phone_number: "+123",
        phone_verified: false,
      },
      { email: "a@b.test" },
      { connection: "db", invited: true },
      { connection: "db", given_name: "" },
      { connection: "db", blocked: "yes" },
      { connection: "db", email: "not-an-email" },
      { connection: "db", user_id: "has space" },
      { connection: "db", phone_number: "123" },
    ],
  ],
  [
    "patch_users_by_id",
    updateUserSchema,
    [
      { app_metadata: { a: null } },
      { given_name: null, password: "x", connection: "db" },
      { blocked: "no" },
      { name: "" },
      { anything: 1 },
    ],
  ],
  [
    "post_email-verification",
    verifyEmailTicketSchema,
    [
      { user_id: U },
      {
        user_id: U,
        result_url: "http://localhost:3000/x",
        ttl_sec: 0,
        includeEmailInRedirect: true,
        identity: { user_id: "1", provider: "auth0" },
      },
      { result_url: "http://x" },
      { user_id: U, ttl_sec: -1 },
      { user_id: U, ttl_sec: 1.5 },
      { user_id: U, mark_email_as_verified: true },
      { user_id: U, identity: { user_id: "1" } },
    ],
  ],
  [
    "post_password-change",
    changePasswordTicketSchema,
    [
      {},
      {
        user_id: U,
        client_id: "c",
        ttl_sec: 604800,
        mark_email_as_verified: true,
        includeEmailInRedirect: false,
      },
      { email: "a@b.test", connection_id: "con_GuestlistLocal01" },
      { user_id: U, new_password: "secret" },
      { connection_id: "con_short", email: "a@b.test" },
      { user_id: U, mark_email_as_verified: "true" },
    ],
  ],
  [
    "post_verification-email",
    verificationEmailSchema,
    [
      { user_id: U },
      { user_id: U, client_id: "c", organization_id: "org_1" },
      { client_id: "c" },
      { user_id: U, extra: 1 },
    ],
  ],
];

describe.skipIf(!hasSpec)("request schemas agree with the spec", () => {
  const spec = hasSpec
    ? new SpecChecker(
        specDir,
        CASES.map(([id]) => id),
      )
    : undefined;
  test.each(CASES)("%s", (operationId, schema, bodies) => {
    const validator = payloadValidator(schema);
    for (const body of bodies) {
      const specAccepts =
        spec?.requestBodyProblems(operationId, body).length === 0;
      let emulatorAccepts = true;
      try {
        validator.check(body);
      } catch {
        emulatorAccepts = false;
      }
      expect({ body, emulatorAccepts }).toEqual({
        body,
        emulatorAccepts: specAccepts,
      });
    }
  });
});
