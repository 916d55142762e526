// Auth0 bulk-import job errors → reasons a person understands (shown per row and in the CSV report).
import type { Auth0JobError } from "../auth0/types.ts";

const REASONS: Record<string, string> = {
  DUPLICATED_USER: "already has an account in {company}",
  CONFLICT: "already has an account in {company}",
  CONFLICT_EMAIL: "already has an account in {company} with this email",
  CONFLICT_USERNAME: "already has an account in {company} with this username",
  FORMAT: "a field has the wrong format",
  PATTERN: "a field has the wrong format",
  INVALID_TYPE: "a field has the wrong type",
  MAX_LENGTH: "a field is too long",
  MIN_LENGTH: "a field is too short",
  OBJECT_REQUIRED: "a required field is missing",
  ANY_OF_MISSING: "a required field is missing",
  CONNECTION_NOT_FOUND:
    "the sign-in database is not configured correctly; contact support",
};

export interface RowFailure {
  code: string;
  reason: string;
}

export function describeJobError(
  e: Pick<Auth0JobError, "errors">,
  company: string,
): RowFailure {
  const first = e.errors[0];
  const code = first?.code ?? "UNKNOWN";
  const template = REASONS[code];
  let reason = template
    ? template.replace("{company}", company)
    : `could not be created (${code})`;
  if (first?.path && template?.startsWith("a field"))
    reason += ` (${first.path})`;
  return { code, reason };
}

/** Normalised email → the failure for that user; job errors carry the user as it was in the file. */
export function indexJobErrors(
  errors: readonly Auth0JobError[],
  company: string,
): Map<string, RowFailure> {
  const out = new Map<string, RowFailure>();
  for (const e of errors) {
    const key = (e.user.email ?? "").trim().toLowerCase();
    if (key) out.set(key, describeJobError(e, company));
  }
  return out;
}

export function isDuplicate(code: string): boolean {
  return (
    code === "DUPLICATED_USER" ||
    code === "CONFLICT" ||
    code === "CONFLICT_EMAIL"
  );
}
