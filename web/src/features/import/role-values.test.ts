// @vitest-environment node
import { PersonRow } from "@app/bff/contract";
import { describe, expect, test } from "vitest";
import { normaliseRole } from "./role-values.ts";

describe("role values from a spreadsheet", () => {
  test("maps admin synonyms to admin and member synonyms to member, whatever the case", () => {
    for (const value of [
      "admin",
      "ADMIN",
      "Administrator",
      "owner",
      "Owner",
      "Co-Admin",
    ])
      expect(normaliseRole(value), value).toBe("admin");
    for (const value of ["member", "Member", "user", "USER", "Standard user"])
      expect(normaliseRole(value), value).toBe("member");
  });

  test("leaves a blank cell absent (a member) and an unknown value as written", () => {
    expect(normaliseRole(undefined)).toBeUndefined();
    expect(normaliseRole("Superhero")).toBe("Superhero");
    expect(normaliseRole("guest")).toBe("guest");
  });

  test("what it returns for a known value is a role the contract accepts; an unknown one is refused with a reason", () => {
    const parse = (role: string | undefined) =>
      PersonRow.safeParse({ email: "a@acme.test", role });
    expect(parse(normaliseRole("Administrator")).data?.role).toBe("admin");
    expect(parse(normaliseRole("user")).data?.role).toBe("member");
    expect(parse(normaliseRole(undefined)).success).toBe(true);
    const refused = parse(normaliseRole("Superhero"));
    expect(refused.error?.issues[0]?.path).toEqual(["role"]);
    expect(refused.error?.issues[0]?.message).toBe(
      'Role must be "member" or "admin"',
    );
  });
});
