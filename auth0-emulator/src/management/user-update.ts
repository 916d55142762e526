// PATCH /users/{id} semantics (auth0-facts.md §6): first-level merge of app_metadata and
// user_metadata (null deletes a key), other root attributes replaced, null unsets, and the spec's
// "Cannot update X and Y simultaneously" restrictions.
import { hashPassword, type EmuUser, type Store } from "../store/index.ts";
import { MgmtError, invalidBody } from "./errors.ts";
import { checkPasswordPolicy } from "./password-policy.ts";

export interface UserUpdate {
  blocked?: boolean;
  email_verified?: boolean;
  email?: string | null;
  given_name?: string | null;
  family_name?: string | null;
  name?: string | null;
  nickname?: string | null;
  picture?: string | null;
  password?: string | null;
  username?: string | null;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

function checkCombinations(body: UserUpdate): void {
  const has = (k: keyof UserUpdate): boolean => body[k] !== undefined;
  const pairs: [keyof UserUpdate, keyof UserUpdate][] = [
    ["password", "email"],
    ["password", "email_verified"],
    ["username", "email"],
    ["username", "email_verified"],
    ["username", "password"],
  ];
  for (const [a, b] of pairs) {
    if (has(a) && has(b))
      throw invalidBody(`Cannot update ${a} and ${b} simultaneously.`);
  }
}

function mergeMetadata(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const next = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

export function applyUserUpdate(
  store: Store,
  user: EmuUser,
  body: UserUpdate,
  now = new Date(),
): EmuUser {
  checkCombinations(body);
  const next: EmuUser = structuredClone(user);
  if (body.app_metadata)
    next.app_metadata = mergeMetadata(next.app_metadata, body.app_metadata);
  if (body.user_metadata)
    next.user_metadata = mergeMetadata(next.user_metadata, body.user_metadata);
  if (body.blocked !== undefined) next.blocked = body.blocked;
  if (body.email_verified !== undefined)
    next.email_verified = body.email_verified;
  if (typeof body.email === "string") {
    const email = body.email.toLowerCase();
    const other = store.users.byEmail(email);
    if (other && other.user_id !== user.user_id)
      throw new MgmtError(
        409,
        "The specified new email already exists",
        "email_conflict",
      );
    if (email !== user.email && body.email_verified === undefined)
      next.email_verified = false;
    next.email = email;
  }
  for (const key of ["given_name", "family_name"] as const) {
    const v = body[key];
    if (v === null) delete next[key];
    else if (v !== undefined) next[key] = v;
  }
  if (body.name !== undefined) next.name = body.name ?? next.email;
  if (body.nickname !== undefined)
    next.nickname = body.nickname ?? next.email.split("@")[0] ?? next.email;
  if (typeof body.picture === "string") next.picture = body.picture;
  if (typeof body.password === "string") {
    if (!checkPasswordPolicy(store.connection, body.password).ok) {
      throw new MgmtError(400, "PasswordStrengthError: Password is too weak");
    }
    next.password_hash = hashPassword(body.password, store.passwordRounds);
    next.last_password_reset = now.toISOString();
  }
  next.updated_at = now.toISOString();
  return next;
}
