// Id and password helpers shared by the repositories and the handlers that create entities.
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** n random characters of [A-Za-z0-9] — the alphabet of Auth0's job, connection and ticket ids. */
export function randomAlnum(n: number): string {
  const bytes = randomBytes(n * 2);
  let out = "";
  for (let i = 0; out.length < n && i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 248) out += ALNUM[b % 62];
  }
  return out.length === n ? out : out + randomAlnum(n - out.length);
}

/** Auth0 database user ids: `auth0|` + 24 hex characters. */
export function newUserId(): string {
  return `auth0|${randomBytes(12).toString("hex")}`;
}

/** bcrypt cost 10, as Auth0's import format expects (`$2b$10$…`). Kept low in tests via env. */
export function hashPassword(password: string, rounds = 10): string {
  return bcrypt.hashSync(password, rounds);
}

export function checkPassword(password: string, hash: string | null): boolean {
  return hash !== null && bcrypt.compareSync(password, hash);
}
