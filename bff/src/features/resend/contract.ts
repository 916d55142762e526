// Resend invitations: one person, or many by filter. Imports only zod.
import { z } from "zod";

export const ResendParams = z.object({
  tenantId: z.string().min(1).max(63),
  userId: z.string().min(1).max(255),
});
export type ResendParams = z.infer<typeof ResendParams>;

export const ResendResult = z.object({
  userId: z.string(),
  email: z.string(),
  /** the old link stops working now; the new email goes out within seconds */
  status: z.literal("queued"),
});
export type ResendResult = z.infer<typeof ResendResult>;

export const BulkResendInput = z.strictObject({
  /** which open invitations: not yet accepted ones in this state; `expired` = past their expiry */
  state: z.enum(["created", "emailed", "verified", "expired"]).optional(),
  /** only invitations last emailed (or created) at least this many days ago */
  olderThanDays: z.number().int().min(0).max(365).optional(),
  /** at most this many in one request */
  limit: z.number().int().min(1).max(10_000).default(10_000),
});
export type BulkResendInput = z.infer<typeof BulkResendInput>;

export const BulkResendResult = z.object({
  count: z.number().int().nonnegative(),
});
export type BulkResendResult = z.infer<typeof BulkResendResult>;
