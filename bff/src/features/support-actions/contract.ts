// Support actions: eager Auth0 tickets, emailed to the person. Imports only zod.
import { z } from "zod";

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
