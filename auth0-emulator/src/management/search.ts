// Evaluates a parsed user-search query against stored users, with Auth0's matching rules:
// whole-value matches, case-insensitive only on the normalised fields, arrays match on any element,
// dotted paths walk objects and arrays, `email.domain` is the part after `@`.
import type { EmuUser } from "../store/index.ts";
import type { Query } from "./lucene.ts";

const NORMALISED = new Set([
  "email",
  "name",
  "given_name",
  "family_name",
  "nickname",
  "email.domain",
]);
/** Fields a term without a field name searches (it never matches metadata). */
const DEFAULT_FIELDS = [
  "email",
  "name",
  "given_name",
  "family_name",
  "nickname",
  "user_id",
  "username",
];

function walk(value: unknown, path: string[]): unknown[] {
  if (path.length === 0)
    return Array.isArray(value) ? value.flatMap((v) => walk(v, [])) : [value];
  if (Array.isArray(value)) return value.flatMap((v) => walk(v, path));
  if (value === null || typeof value !== "object") return [];
  const [head, ...rest] = path;
  return walk((value as Record<string, unknown>)[head ?? ""], rest);
}

export function fieldValues(user: EmuUser, field: string): unknown[] {
  if (field === "email.domain") return [user.email.split("@")[1] ?? ""];
  return walk(user, field.split(".")).filter(
    (v) => v !== undefined && v !== null,
  );
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function wildcardRegex(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}

function termMatches(
  user: EmuUser,
  field: string,
  value: string,
  wildcard: boolean,
): boolean {
  const insensitive = NORMALISED.has(field);
  const needle = insensitive ? value.toLowerCase() : value;
  const re = wildcard
    ? wildcardRegex(needle, insensitive ? "i" : "")
    : undefined;
  return fieldValues(user, field).some((v) => {
    const text = scalarText(v);
    if (text === undefined) return false;
    const hay = insensitive ? text.toLowerCase() : text;
    return re ? re.test(hay) : hay === needle;
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Compares a stored value with a range bound: numbers numerically, dates by time, else text. */
function compare(v: unknown, bound: string): number | undefined {
  if (typeof v === "number") {
    const n = Number(bound);
    return Number.isNaN(n) ? undefined : v - n;
  }
  if (typeof v !== "string") return undefined;
  if (ISO_DATE.test(v) && ISO_DATE.test(bound)) {
    const a = Date.parse(v);
    const b = Date.parse(bound);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  }
  return v < bound ? -1 : v > bound ? 1 : 0;
}

function inRange(v: unknown, q: Extract<Query, { kind: "range" }>): boolean {
  if (q.lower !== undefined) {
    const c = compare(v, q.lower);
    if (c === undefined || c < 0 || (c === 0 && !q.includeLower)) return false;
  }
  if (q.upper !== undefined) {
    const c = compare(v, q.upper);
    if (c === undefined || c > 0 || (c === 0 && !q.includeUpper)) return false;
  }
  return true;
}

function isIndexed(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === "object") return Object.keys(v).length > 0;
  return v !== null && v !== undefined;
}

export function matches(user: EmuUser, q: Query): boolean {
  switch (q.kind) {
    case "or":
      return q.nodes.some((n) => matches(user, n));
    case "and":
      return q.nodes.every((n) => matches(user, n));
    case "not":
      return !matches(user, q.node);
    case "exists":
      return fieldValues(user, q.field).some(isIndexed);
    case "range":
      return fieldValues(user, q.field).some((v) => inRange(v, q));
    case "term":
      if (q.field === null)
        return DEFAULT_FIELDS.some((f) =>
          termMatches(user, f, q.value, q.wildcard),
        );
      return termMatches(user, q.field, q.value, q.wildcard);
  }
}
