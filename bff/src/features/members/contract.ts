// Members of a tenant: people in Auth0 plus invitations, with one state badge each. Imports only zod.
import { z } from "zod";
import { TenantRole } from "../../shared-contract.ts";

/**
 * The badge shown per person. Invitation states until the invitation is accepted; then `active`,
 * or `blocked` / `removed` as Auth0 reports it.
 */
export const MemberState = z.enum([
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
  "failed",
  "revoked",
  "expired",
  "active",
  "blocked",
  "removed",
]);
export type MemberState = z.infer<typeof MemberState>;

export const Member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  state: MemberState,
  /** "admin" = holds the Auth0 role "Customer admin" (or is invited as one); else "member" */
  role: TenantRole,
  emailVerified: z.boolean(),
  /** email (or sub) of whoever invited them; null for people added outside Guestlist */
  invitedBy: z.string().nullable(),
  invitedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  lastLogin: z.string().nullable(),
  failureReason: z.string().nullable(),
  invitationId: z.string().nullable(),
});
export type Member = z.infer<typeof Member>;

export const MembersQuery = z.strictObject({
  state: MemberState.optional(),
  role: TenantRole.optional(),
  /** search by any part of the email or name (trigram index; case-insensitive) */
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(600).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MembersQuery = z.infer<typeof MembersQuery>;

export const MembersPage = z.object({
  items: z.array(Member),
  /** pass as `cursor` for the next page; null at the end */
  nextCursor: z.string().nullable(),
  /** when the mirror of Auth0 was last refreshed for this tenant (ISO), null = never */
  syncedAt: z.string().nullable(),
});
export type MembersPage = z.infer<typeof MembersPage>;

export const MembersParams = z.object({ tenantId: z.string().min(1).max(63) });
export type MembersParams = z.infer<typeof MembersParams>;

export const MemberParams = z.object({
  tenantId: z.string().min(1).max(63),
  userId: z.string().min(1).max(255),
});
export type MemberParams = z.infer<typeof MemberParams>;

/** `confirm=self`: the admin really means to remove themselves (refused without it). */
export const RemoveMemberQuery = z.strictObject({
  confirm: z.literal("self").optional(),
});
export type RemoveMemberQuery = z.infer<typeof RemoveMemberQuery>;

export const RemoveMemberResult = z.object({
  userId: z.string(),
  /** what happened: an open invitation was revoked, or the member was deleted/blocked in Auth0 */
  outcome: z.enum(["revoked", "deleted", "blocked"]),
});
export type RemoveMemberResult = z.infer<typeof RemoveMemberResult>;

export const MembersSyncResult = z.object({
  /** false when another instance is refreshing this tenant right now */
  ran: z.boolean(),
  syncedAt: z.string().nullable(),
  seen: z.number().int(),
  removed: z.number().int(),
});
export type MembersSyncResult = z.infer<typeof MembersSyncResult>;

/** PATCH /api/tenants/:tenantId/members/:userId: promote to admin or demote to member. */
export const ChangeRoleInput = z.strictObject({ role: TenantRole });
export type ChangeRoleInput = z.infer<typeof ChangeRoleInput>;
