// Builds Auth0 bulk-import files: one JSON array per users-imports job, at most MAX_FILE_BYTES.
// Users are validated with a compact check of the fields we set (the full JSON schema is applied
// with Ajv in import-file.test.ts). user_id is chosen by us, so a retried or reconciled job can be
// matched to its Auth0 users without a search.
import { randomBytes } from "node:crypto";
import type { BulkImportUser } from "../auth0/types.ts";
import type { TenantRole } from "../shared-contract.ts";

/** Auth0 rejects files above 512,000 bytes; we stay under 500,000 so "500 KB" holds either way. */
export const MAX_FILE_BYTES = 500_000;

export interface PendingUser {
  userId: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  /** granted after the user exists (role step), never written into the import file */
  role: TenantRole;
  locale: string | null;
}

/** `auth0|` + 24 hex: the id the user will have in Auth0 (imports prefix the strategy). */
export function newAuth0UserId(): string {
  return `auth0|${randomBytes(12).toString("hex")}`;
}

export function toBulkUser(row: PendingUser, tenantId: string): BulkImportUser {
  const user: BulkImportUser = {
    // The file carries the id without the strategy prefix; Auth0 adds "auth0|".
    user_id: row.userId.replace(/^auth0\|/, ""),
    email: row.email,
    email_verified: false,
    app_metadata: { tenant_id: tenantId },
  };
  if (row.givenName) user.given_name = row.givenName;
  if (row.familyName) user.family_name = row.familyName;
  const name = [row.givenName, row.familyName].filter(Boolean).join(" ");
  if (name) user.name = name;
  if (row.locale) user.user_metadata = { locale: row.locale };
  return user;
}

/** Bytes of `JSON.stringify(users)`: brackets, commas and each user's own length. */
export function fileBytes(users: readonly BulkImportUser[]): number {
  let total = 2 + Math.max(0, users.length - 1);
  for (const u of users) total += Buffer.byteLength(JSON.stringify(u));
  return total;
}

/**
 * Splits users into consecutive groups whose JSON file is ≤ maxBytes. Returns the group sizes.
 * One user larger than the limit cannot happen with our field caps (names ≤ 150 chars).
 * With `firstMax`, the first group holds at most that many users (a small, fast first job).
 */
export function chunkBySize(
  users: Iterable<BulkImportUser>,
  maxBytes = MAX_FILE_BYTES,
  firstMax = Number.POSITIVE_INFINITY,
): number[] {
  const sizes: number[] = [];
  let count = 0;
  let bytes = 2;
  for (const u of users) {
    const b = Buffer.byteLength(JSON.stringify(u));
    const added = count === 0 ? b : b + 1;
    const full =
      bytes + added > maxBytes || (sizes.length === 0 && count >= firstMax);
    if (count > 0 && full) {
      sizes.push(count);
      count = 0;
      bytes = 2;
    }
    bytes += count === 0 ? b : b + 1;
    count++;
  }
  if (count > 0) sizes.push(count);
  return sizes;
}

const ALLOWED_KEYS = new Set([
  "user_id",
  "email",
  "email_verified",
  "given_name",
  "family_name",
  "name",
  "app_metadata",
  "user_metadata",
]);
const RESERVED_APP_METADATA = new Set([
  "__tenant",
  "_id",
  "blocked",
  "clientID",
  "created_at",
  "email_verified",
  "email",
  "globalClientID",
  "global_client_id",
  "identities",
  "lastIP",
  "lastLogin",
  "loginsCount",
  "metadata",
  "multifactor_last_modified",
  "multifactor",
  "updated_at",
  "user_id",
]);

/** Compact runtime check of what we put in a file (subset of the official schema). */
export function checkBulkUser(u: BulkImportUser): string | null {
  for (const k of Object.keys(u))
    if (!ALLOWED_KEYS.has(k)) return `unexpected field ${k}`;
  if (typeof u.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(u.email))
    return "email is not an email";
  if (
    typeof u.user_id !== "string" ||
    u.user_id.length === 0 ||
    u.user_id.length > 255
  )
    return "bad user_id";
  for (const k of Object.keys(u.app_metadata))
    if (RESERVED_APP_METADATA.has(k)) return `app_metadata.${k} is reserved`;
  return null;
}
