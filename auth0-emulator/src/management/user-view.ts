// What the API returns for a stored user: the stored profile minus emulator internals
// (password hash, role ids), projected with `fields` / `include_fields`.
import type { EmuUser } from "../store/index.ts";

export type ApiUser = Record<string, unknown>;

export function toApiUser(user: EmuUser): ApiUser {
  const {
    password_hash: _hash,
    roles: _roles,
    connection: _connection,
    ...rest
  } = user;
  return structuredClone(rest);
}

export function parseBool(value: unknown, fallback: boolean): boolean {
  if (value === "true" || value === true) return true;
  if (value === "false" || value === false) return false;
  return fallback;
}

/** `fields=a,b&include_fields=true|false` as the spec describes for every user read. */
export function project(
  user: ApiUser,
  fields: unknown,
  includeFields: unknown,
): ApiUser {
  if (typeof fields !== "string" || fields.trim() === "") return user;
  const names = new Set(
    fields
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean),
  );
  const include = parseBool(includeFields, true);
  return Object.fromEntries(
    Object.entries(user).filter(([k]) => names.has(k) === include),
  );
}
