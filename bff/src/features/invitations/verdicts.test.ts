import { expect, test } from "vitest";
import { countVerdicts, decide, type PreviewKnowledge } from "./verdicts.ts";

const base: PreviewKnowledge = {
  allowedDomains: ["acme.test"],
  members: new Set(["member@acme.test"]),
  invited: new Set(["invited@acme.test"]),
  otherTenant: new Set(["other@acme.test"]),
  freeSeats: 2,
};

test("gives every kind of verdict, comparing normalised emails", () => {
  const rows = [
    { email: " Ready@ACME.test ", givenName: "Ann" },
    { email: "not-an-email" },
    { email: "ready@acme.test" },
    { email: "MEMBER@acme.test" },
    { email: "invited@acme.test" },
    { email: "other@acme.test" },
    { email: "someone@gmail.test" },
    { email: "two@acme.test" },
    { email: "three@acme.test" },
    { email: "x@acme.test", locale: "not a locale!" },
  ];
  const v = decide(rows, base);
  expect(v.map((r) => r.verdict)).toEqual([
    "ready",
    "invalid",
    "duplicate_in_file",
    "already_member",
    "already_invited",
    "existing_account",
    "domain_not_allowed",
    "ready",
    "over_seat_limit",
    "invalid",
  ]);
  expect(v[0]?.email).toBe("ready@acme.test");
  expect(v[1]).toMatchObject({ field: "email" });
  expect(v[9]).toMatchObject({ field: "locale" });
  expect(countVerdicts(v).ready).toBe(2);
});

test("any domain is fine when the tenant allows all", () => {
  const v = decide([{ email: "a@anything.test" }], {
    ...base,
    allowedDomains: [],
  });
  expect(v[0]?.verdict).toBe("ready");
});
