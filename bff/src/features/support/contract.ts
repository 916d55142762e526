// Support: find a person across tenants; eager Auth0 tickets emailed to them; copy an invitation
// link. Imports only zod.
import { z } from "zod";
import { Email, InvitationState, TenantRole } from "../../shared-contract.ts";

export const SupportUserQuery = z.strictObject({ email: Email });
export type SupportUserQuery = z.infer<typeof SupportUserQuery>;

export const InvitationHistoryItem = z.object({
  invitationId: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  state: InvitationState,
  /** the role this invitation grants */
  role: TenantRole,
  invitedBy: z.string().nullable(),
  invitedAt: z.string(),
  expiresAt: z.string().nullable(),
  emailedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  failureReason: z.string().nullable(),
});
export type InvitationHistoryItem = z.infer<typeof InvitationHistoryItem>;

export const SupportUserResult = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  tenant: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** the person's role in `tenant` (Auth0's record when the user exists, else the invitation's) */
  role: TenantRole.nullable(),
  /** from Auth0; null when the user does not exist there (e.g. a queued or failed invitation) */
  auth0: z
    .object({
      emailVerified: z.boolean(),
      blocked: z.boolean(),
      lastLogin: z.string().nullable(),
      createdAt: z.string().nullable(),
    })
    .nullable(),
  invitations: z.array(InvitationHistoryItem),
});
export type SupportUserResult = z.infer<typeof SupportUserResult>;

export const SupportUserSearch = z.object({
  items: z.array(SupportUserResult),
});
export type SupportUserSearch = z.infer<typeof SupportUserSearch>;

// Support actions: eager Auth0 tickets, emailed to the person.
export const SupportUserParams = z.object({
  userId: z.string().min(1).max(255),
});
export type SupportUserParams = z.infer<typeof SupportUserParams>;

export const LinkSent = z.object({
  userId: z.string(),
  /** where the link was emailed */
  email: z.string(),
  kind: z.enum(["password", "verification"]),
});
export type LinkSent = z.infer<typeof LinkSent>;

/**
 * "Copy invitation link": a fresh Guestlist link for the person's open invitation, for support to
 * pass on by another channel. The previous link stops working. Only support sees it, once.
 */
export const InvitationLink = z.object({
  url: z.url(),
  expiresAt: z.string(),
});
export type InvitationLink = z.infer<typeof InvitationLink>;
