// Applies one user of an import file to the tenant, with BUI's semantics: `auth0|` prefix on a
// given user_id, email_verified false unless the file says true, DUPLICATED_USER when the user
// exists and upsert is false, upsert overwrites only the upsertable attributes (metadata replaced,
// not merged), a repeated email inside one file is an error.
import { makeUser, type EmuUser, type Store } from "../store/index.ts";
import { validateImportUser, type ImportUserError } from "./import-validate.ts";

export type ApplyOutcome =
  "inserted" | "updated" | { errors: ImportUserError[] };

const UPSERTABLE = [
  "email_verified",
  "given_name",
  "family_name",
  "name",
  "nickname",
  "picture",
  "app_metadata",
  "user_metadata",
] as const;

type FileUser = Record<string, unknown> & { email: string };

function bcryptHash(u: FileUser): string | null {
  if (typeof u.password_hash === "string") return u.password_hash;
  const custom = u.custom_password_hash as
    { algorithm?: string; hash?: { value?: string } } | undefined;
  if (custom?.algorithm === "bcrypt" && typeof custom.hash?.value === "string")
    return custom.hash.value;
  return null;
}

function profileOf(u: FileUser): Partial<EmuUser> {
  const out: Partial<EmuUser> & Record<string, unknown> = {};
  for (const k of [...UPSERTABLE, "blocked"])
    if (u[k] !== undefined) out[k] = structuredClone(u[k]);
  return out;
}

/** `seenEmails` collects the emails earlier in the same file. */
export function applyImportedUser(
  store: Store,
  raw: unknown,
  opts: { upsert: boolean; seenEmails: Set<string> },
  now = new Date(),
): ApplyOutcome {
  const errors = validateImportUser(raw);
  if (errors.length > 0) return { errors };
  const u = raw as FileUser;
  const email = u.email.toLowerCase();
  if (opts.seenEmails.has(email)) {
    return {
      errors: [
        {
          code: "CONFLICT_EMAIL",
          message: "The user email appears more than once in the file.",
        },
      ],
    };
  }
  opts.seenEmails.add(email);
  const userId =
    typeof u.user_id === "string" ? `auth0|${u.user_id}` : undefined;
  const existing =
    store.users.byEmail(email) ??
    (userId ? store.users.get(userId) : undefined);
  if (existing) {
    if (!opts.upsert) {
      return {
        errors: [
          {
            code: "DUPLICATED_USER",
            message: "The user already exist and upsert parameter is false",
          },
        ],
      };
    }
    if (existing.email !== email) {
      return {
        errors: [
          {
            code: "CONFLICT",
            message:
              "A user with this user_id already exists with another email.",
          },
        ],
      };
    }
    const next: EmuUser = {
      ...existing,
      ...profileOf(u),
      updated_at: now.toISOString(),
    };
    if (u.email_verified === undefined)
      next.email_verified = existing.email_verified;
    const hash = u.custom_password_hash ? bcryptHash(u) : null;
    if (hash) next.password_hash = hash;
    store.users.save(next);
    return "updated";
  }
  const user = makeUser(
    {
      ...profileOf(u),
      email,
      email_verified: u.email_verified === true,
      connection: store.connection.name,
      password_hash: bcryptHash(u),
      ...(userId ? { user_id: userId } : {}),
    },
    now,
  );
  store.users.save(user);
  return "inserted";
}

/** The user as shown in GET /jobs/{id}/errors: as in the file, secrets redacted (BUI-old). */
export function redactForErrors(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    return { value: raw };
  const copy = structuredClone(raw) as Record<string, unknown>;
  if (typeof copy.password_hash === "string") copy.password_hash = "*****";
  const custom = copy.custom_password_hash as
    { hash?: { value?: unknown } } | undefined;
  if (custom?.hash && typeof custom.hash === "object")
    custom.hash.value = "*****";
  return copy;
}
