// Schemas shared by several features and by the web app. Imports only zod (lint).
import { z } from "zod";

/** Every BFF error body. Features branch on `code`, never on status or message text. */
export const ErrorCode = z.enum([
  "validation",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "upstream",
  "internal",
  // 503 with Retry-After: the database is restarting or failing over (docs/production.md)
  "database_unavailable",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  statusCode: z.number().int(),
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const SeatSummary = z.object({
  limit: z.number().int().nonnegative(),
  /** members in Auth0 for the tenant (not blocked, not deleted) */
  used: z.number().int().nonnegative(),
  /** open invitations (not failed/revoked/expired/accepted) */
  pending: z.number().int().nonnegative(),
  free: z.number().int(),
});
export type SeatSummary = z.infer<typeof SeatSummary>;

export const InvitationState = z.enum([
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
  "accepted",
  "failed",
  "revoked",
  "expired",
]);
export type InvitationState = z.infer<typeof InvitationState>;

// Characters that could break an email header or hide text: control characters (incl. CR/LF),
// zero-width and bidi overrides.
const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** Normalised email: trimmed, lower-cased, ≤ 254 characters, one @, a dotted domain. */
export const Email = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email is longer than 254 characters")
  .refine(
    (v) => !UNSAFE_TEXT.test(v),
    "Email contains control or invisible characters",
  )
  .pipe(z.email({ error: "Not a valid email address" }));

/** A person's name part: trimmed, 1–150 characters (Auth0's limit), no header-breaking characters. */
export const PersonName = z
  .string()
  .trim()
  .min(1, "Must not be empty")
  .max(150, "Longer than 150 characters")
  .refine(
    (v) => !UNSAFE_TEXT.test(v),
    "Contains control or invisible characters",
  );

export const TenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "Not a tenant id");
/** Auth0 database user ids as Guestlist creates them. */
export const UserId = z
  .string()
  .regex(/^auth0\|[A-Za-z0-9_-]{1,64}$/, "Not a user id");

/**
 * The roles a tenant admin can grant (docs/architecture.md, "Tenancy, people and permissions").
 * `admin` = the Auth0 role "Customer admin" (AUTH0_ADMIN_ROLE_ID / AUTH0_ADMIN_ROLE_NAME);
 * `member` = no Guestlist role. Support's role is never grantable: it is not in this list.
 */
export const TenantRole = z.enum(["member", "admin"], {
  error: 'Role must be "member" or "admin"',
});
export type TenantRole = z.infer<typeof TenantRole>;

/** A role as typed in a CSV cell or a form: trimmed, case-insensitive, then exactly one of TenantRole. */
export const TenantRoleInput = z
  .string({ error: 'Role must be "member" or "admin"' })
  .trim()
  .toLowerCase()
  .pipe(TenantRole);

/** The BFF API's permissions (RBAC, in the access token's `permissions` claim). */
export const Permission = z.enum([
  "read:members",
  "invite:members",
  "revoke:members",
  "resend:invitations",
  "read:all_tenants",
  "manage:tenants",
]);
export type Permission = z.infer<typeof Permission>;

/**
 * A person row: one person to invite, the shape a CSV row is mapped to and the import accepts.
 * Only `email` is required. Before its checks it is an UncheckedPersonRow (invitations contract).
 */
export const PersonRow = z.strictObject({
  email: Email,
  givenName: PersonName.optional(),
  familyName: PersonName.optional(),
  /** the Guestlist role granted once the user exists in Auth0; absent = "member" */
  role: TenantRoleInput.optional(),
  locale: z
    .string()
    .trim()
    .regex(
      /^[a-zA-Z]{2,3}([-_][A-Za-z0-9]{2,8})*$/,
      "Not a language tag such as en or fr-CA",
    )
    .optional(),
});
export type PersonRow = z.infer<typeof PersonRow>;
