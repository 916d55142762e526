// PersonRow's rules (shared-contract.ts) as plain string checks, without zod: the BFF's preview
// (features/invitations/verdicts.ts) and the web app's CSV worker (web/src/features/import/
// row-checks.ts, through "@app/bff/person-row-checks") judge every row with this one
// implementation. It imports nothing, so the worker bundle stays free of zod.
//
// The answer is what PersonRow.safeParse reports first (same field, same message, zod's order):
// web/src/features/import/row-checks.test.ts and features/invitations/verdicts.test.ts compare
// it with the zod schema on fixtures, a generated 100,000-row file and hundreds of tricky values,
// so a change to the contract that is not made here fails those tests.

export const PERSON_ROW_FIELDS = [
  "email",
  "givenName",
  "familyName",
  "role",
  "locale",
] as const;
export type PersonRowField = (typeof PERSON_ROW_FIELDS)[number];

// The message of TenantRole and TenantRoleInput (shared-contract.ts).
const ROLE_MESSAGE = 'Role must be "member" or "admin"';

/** Index = problem code; 0 = none. The messages of Email, PersonName and PersonRow (shared-contract.ts). */
export const PERSON_ROW_PROBLEMS: readonly (readonly [
  field: PersonRowField,
  reason: string,
])[] = [
  ["email", ""], // 0: no problem
  ["email", "Email is required"],
  ["email", "Email is longer than 254 characters"],
  ["email", "Email contains control or invisible characters"],
  ["email", "Not a valid email address"],
  ["givenName", "Must not be empty"],
  ["givenName", "Longer than 150 characters"],
  ["givenName", "Contains control or invisible characters"],
  ["familyName", "Must not be empty"],
  ["familyName", "Longer than 150 characters"],
  ["familyName", "Contains control or invisible characters"],
  ["role", ROLE_MESSAGE],
  ["locale", "Not a language tag such as en or fr-CA"],
];
export const PROBLEM = {
  none: 0,
  emailRequired: 1,
  emailTooLong: 2,
  emailUnsafe: 3,
  emailInvalid: 4,
  givenName: 5,
  familyName: 8,
  role: 11,
  locale: 12,
} as const;

// Same pattern as UNSAFE_TEXT in shared-contract.ts.
const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const LOCALE = /^[a-zA-Z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isAlnum = (c: number) => isLetter(c) || (c >= 48 && c <= 57);
/** [A-Za-z0-9_+-] */
const isLocalEnd = (c: number) =>
  isAlnum(c) || c === 95 || c === 43 || c === 45;

/**
 * zod's email pattern (zod/v4/core/regexes.ts `email`, what `z.email()` uses), as a scan:
 * `^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`
 * Local part: dot-separated non-empty pieces of [A-Za-z0-9_'+-], not ending in `'`. Domain: at
 * least two labels; each but the last starts with a letter or digit and goes on with letters,
 * digits and `-`; the last is two or more letters.
 */
export function isZodEmail(value: string): boolean {
  const at = value.indexOf("@");
  const n = value.length;
  if (at <= 0 || !isLocalEnd(value.charCodeAt(at - 1))) return false;
  let previous = 46; // as if after a ".": the local part must not start with one
  for (let i = 0; i < at; i += 1) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (previous === 46) return false;
    } else if (!isLocalEnd(c) && c !== 39) return false;
    previous = c;
  }
  let labelStart = at + 1;
  let labels = 0;
  for (let i = labelStart; i < n; i += 1) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (i === labelStart) return false;
      labels += 1;
      labelStart = i + 1;
    } else if (i === labelStart ? !isAlnum(c) : !isAlnum(c) && c !== 45)
      return false;
  }
  if (labels === 0 || n - labelStart < 2) return false;
  for (let i = labelStart; i < n; i += 1)
    if (!isLetter(value.charCodeAt(i))) return false;
  return true;
}

/** Same as UNSAFE_TEXT.test(value) without the regex: most names are a few ASCII letters. */
function hasUnsafeText(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
    if (c >= 0x200b && UNSAFE_TEXT.test(value)) return true;
  }
  return false;
}

/**
 * The email's problem as zod's Email reports it first (min 1, max 254, unsafe characters, then the
 * email pattern) for an address already trimmed and lower-cased; 0 when none. An address the scan
 * accepts has only [a-z0-9_'+.@-] in it, so the unsafe-character test is needed only for the
 * message of a failure.
 */
export function judgeEmail(address: string): number {
  if (address.length === 0) return PROBLEM.emailRequired;
  if (address.length > 254) return PROBLEM.emailTooLong;
  if (isZodEmail(address)) return 0;
  return UNSAFE_TEXT.test(address) ? PROBLEM.emailUnsafe : PROBLEM.emailInvalid;
}

/** PersonName: 0 empty, 1 too long, 2 unsafe characters; -1 when fine or absent. */
function judgeName(name: string | undefined): number {
  if (name === undefined) return -1;
  const value = name.trim();
  if (value.length === 0) return 0;
  if (value.length > 150) return 1;
  return hasUnsafeText(value) ? 2 : -1;
}

/**
 * The rest of the row after a valid email, in PersonRow's field order; 0 when fine. `role` is
 * compared as given: pass it trimmed and lower-cased (TenantRoleInput) or already normalised.
 */
export function judgeRest(
  givenName: string | undefined,
  familyName: string | undefined,
  role: string | undefined,
  locale: string | undefined,
): number {
  const given = judgeName(givenName);
  if (given >= 0) return PROBLEM.givenName + given;
  const family = judgeName(familyName);
  if (family >= 0) return PROBLEM.familyName + family;
  if (role !== undefined && role !== "admin" && role !== "member")
    return PROBLEM.role;
  if (locale !== undefined && !LOCALE.test(locale.trim()))
    return PROBLEM.locale;
  return 0;
}

/** A loose row as the preview takes it (UncheckedPersonRow): null, undefined and "" are absent. */
export type LooseRow = {
  email?: string | null | undefined;
  givenName?: string | null | undefined;
  familyName?: string | null | undefined;
  role?: string | null | undefined;
  locale?: string | null | undefined;
};

const present = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === "" ? undefined : value;

/**
 * PersonRow.safeParse of the row with null, undefined and "" dropped: the problem code of the
 * first issue (0 when the row is valid). `email` is the address as PersonRow makes it (trimmed,
 * lower-cased; "" when absent).
 */
export function judgeLooseRow(row: LooseRow): {
  problem: number;
  email: string;
} {
  const raw = present(row.email);
  const email = raw === undefined ? "" : raw.trim().toLowerCase();
  let problem = raw === undefined ? PROBLEM.emailRequired : judgeEmail(email);
  if (problem === 0) {
    const role = present(row.role);
    problem = judgeRest(
      present(row.givenName),
      present(row.familyName),
      role === undefined ? undefined : role.trim().toLowerCase(),
      present(row.locale),
    );
  }
  return { problem, email };
}

/**
 * PersonRow.parse done in place: when `row` is a plain object with only PersonRow's fields, every
 * one a string, and PersonRow accepts it, its values are replaced by what PersonRow outputs (email
 * trimmed and lower-cased, names and locale trimmed, role trimmed and lower-cased) and true is
 * returned. Otherwise false and the row is left as it was: the caller asks zod for the issues
 * (features/invitations/row-bodies.ts). Rows this accepts are the rows PersonRow accepts (the
 * checks above, compared with zod by the tests named at the top).
 */
export function normalisePersonRowInPlace(row: unknown): boolean {
  if (typeof row !== "object" || row === null || Array.isArray(row))
    return false;
  const r = row as Record<string, unknown>;
  let email: string | undefined;
  let givenName: string | undefined;
  let familyName: string | undefined;
  let role: string | undefined;
  let locale: string | undefined;
  for (const key in r) {
    const value = r[key];
    if (typeof value !== "string") return false;
    switch (key) {
      case "email":
        email = value;
        break;
      case "givenName":
        givenName = value;
        break;
      case "familyName":
        familyName = value;
        break;
      case "role":
        role = value;
        break;
      case "locale":
        locale = value;
        break;
      default:
        return false;
    }
  }
  if (email === undefined) return false;
  const address = email.trim().toLowerCase();
  if (judgeEmail(address) !== 0) return false;
  const grant = role?.trim().toLowerCase();
  if (judgeRest(givenName, familyName, grant, locale) !== 0) return false;
  if (address !== email) r.email = address;
  if (givenName !== undefined) r.givenName = givenName.trim();
  if (familyName !== undefined) r.familyName = familyName.trim();
  if (grant !== undefined) r.role = grant;
  if (locale !== undefined) r.locale = locale.trim();
  return true;
}

/**
 * UncheckedPersonRow's check without a copy: a plain object with only PersonRow's fields, each a
 * string of at most `maxCell` characters or null. False when zod must be asked (it may still
 * accept, e.g. an explicit undefined).
 */
export function isUncheckedPersonRow(row: unknown, maxCell: number): boolean {
  if (typeof row !== "object" || row === null || Array.isArray(row))
    return false;
  const r = row as Record<string, unknown>;
  for (const key in r) {
    const value = r[key];
    if (value !== null && (typeof value !== "string" || value.length > maxCell))
      return false;
    if (
      key !== "email" &&
      key !== "givenName" &&
      key !== "familyName" &&
      key !== "role" &&
      key !== "locale"
    )
      return false;
  }
  return true;
}
