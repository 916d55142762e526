import { describe, expect, test } from "vitest";
import type { EmuConnection } from "../store/index.ts";
import { checkPasswordPolicy } from "./password-policy.ts";

const connection = (options: EmuConnection["options"]): EmuConnection => ({
  id: "con_x",
  name: "db",
  strategy: "auth0",
  options,
  enabled_clients: [],
});

describe("password policies", () => {
  test("good (the default): 8 characters and 3 of the 4 character classes", () => {
    const good = connection({ passwordPolicy: "good" });
    expect(checkPasswordPolicy(good, "Abcdef1!").ok).toBe(true);
    expect(checkPasswordPolicy(good, "abcdefg1").ok).toBe(false);
    expect(checkPasswordPolicy(good, "Ab1!").ok).toBe(false);
    expect(checkPasswordPolicy(good, "correct-horse-battery-staple").ok).toBe(
      false,
    );
    expect(checkPasswordPolicy(connection({}), "abcdefg1").ok).toBe(false);
  });

  test("min_length from password_complexity_options overrides the policy's length", () => {
    const c = connection({
      passwordPolicy: "good",
      password_complexity_options: { min_length: 12 },
    });
    expect(checkPasswordPolicy(c, "Abcdef1!xy").ok).toBe(false);
    expect(checkPasswordPolicy(c, "Abcdef1!xyzw").ok).toBe(true);
  });

  test("none, low, fair and excellent", () => {
    expect(
      checkPasswordPolicy(connection({ passwordPolicy: "none" }), "a").ok,
    ).toBe(true);
    expect(
      checkPasswordPolicy(connection({ passwordPolicy: "low" }), "abcdef").ok,
    ).toBe(true);
    expect(
      checkPasswordPolicy(connection({ passwordPolicy: "fair" }), "Abcdefg!")
        .ok,
    ).toBe(false);
    expect(
      checkPasswordPolicy(connection({ passwordPolicy: "fair" }), "Abcdefg1")
        .ok,
    ).toBe(true);
    expect(
      checkPasswordPolicy(
        connection({ passwordPolicy: "excellent" }),
        "Abcdefg1!x",
      ).ok,
    ).toBe(true);
    expect(
      checkPasswordPolicy(
        connection({ passwordPolicy: "excellent" }),
        "Abbbcdefg1!",
      ).ok,
    ).toBe(false);
  });
});
