// Auth0 database-connection password policies (docs: "Password Strength in Auth0 Database
// Connections"): none, low, fair, good (the default), excellent; `password_complexity_options.
// min_length` overrides the policy's minimum length.
import type { EmuConnection } from "../store/index.ts";

export type PolicyName = "none" | "low" | "fair" | "good" | "excellent";

interface Policy {
  minLength: number;
  /** how many of the four character classes are needed; `all3` = lower, upper and digits */
  classes: "none" | "all3" | "3of4";
  noTripleRepeat: boolean;
}

const POLICIES: Record<PolicyName, Policy> = {
  none: { minLength: 1, classes: "none", noTripleRepeat: false },
  low: { minLength: 6, classes: "none", noTripleRepeat: false },
  fair: { minLength: 8, classes: "all3", noTripleRepeat: false },
  good: { minLength: 8, classes: "3of4", noTripleRepeat: false },
  excellent: { minLength: 10, classes: "3of4", noTripleRepeat: true },
};

export interface PolicyResult {
  ok: boolean;
  /** the rules, each with whether it is met; shown on the reset page */
  rules: { text: string; met: boolean }[];
}

function policyOf(connection: EmuConnection): Policy {
  const name = connection.options.passwordPolicy;
  const base =
    typeof name === "string" && name in POLICIES
      ? POLICIES[name as PolicyName]
      : POLICIES.good;
  const opts = connection.options.password_complexity_options;
  const min =
    opts &&
    typeof opts === "object" &&
    "min_length" in opts &&
    typeof opts.min_length === "number"
      ? opts.min_length
      : base.minLength;
  return { ...base, minLength: min };
}

export function checkPasswordPolicy(
  connection: EmuConnection,
  password: string,
): PolicyResult {
  const p = policyOf(connection);
  const rules: PolicyResult["rules"] = [
    {
      text: `At least ${String(p.minLength)} characters in length`,
      met: [...password].length >= p.minLength,
    },
  ];
  const lower = /[a-z]/.test(password);
  const upper = /[A-Z]/.test(password);
  const digit = /[0-9]/.test(password);
  const special = /[^A-Za-z0-9]/.test(password);
  if (p.classes === "all3") {
    rules.push({
      text: "Lower case (a-z), upper case (A-Z) and numbers (0-9)",
      met: lower && upper && digit,
    });
  } else if (p.classes === "3of4") {
    const count = [lower, upper, digit, special].filter(Boolean).length;
    rules.push({
      text: "At least 3 of the following 4 types of characters: lower case letters (a-z), upper case letters (A-Z), numbers (i.e. 0-9), special characters (e.g. !@#$%^&*)",
      met: count >= 3,
    });
  }
  if (p.noTripleRepeat) {
    rules.push({
      text: "No more than 2 identical characters in a row",
      met: !/(.)\1\1/.test(password),
    });
  }
  return { ok: rules.every((r) => r.met), rules };
}
