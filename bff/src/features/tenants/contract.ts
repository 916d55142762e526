// Tenants and their seats. Imports only zod.
import { z } from "zod";
import { SeatSummary } from "../../shared-contract.ts";

export const TenantParams = z.object({ tenantId: z.string().min(1).max(63) });
export type TenantParams = z.infer<typeof TenantParams>;

export const TenantSummary = z.object({
  id: z.string(),
  name: z.string(),
  seats: SeatSummary,
});
export type TenantSummary = z.infer<typeof TenantSummary>;

export const TenantList = z.object({ items: z.array(TenantSummary) });
export type TenantList = z.infer<typeof TenantList>;

/** A bare domain such as acme.test (lower-case, no @). */
export const EmailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
    "Not a domain such as acme.test",
  );

export const TenantDetail = z.object({
  id: z.string(),
  name: z.string(),
  seats: SeatSummary,
  /** Invitees' email domains must be one of these; empty = any domain. */
  allowedDomains: z.array(z.string()),
  invitationLifetimeDays: z.number().int(),
});
export type TenantDetail = z.infer<typeof TenantDetail>;

export const UpdateTenantInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    seatLimit: z.number().int().min(0).max(1_000_000).optional(),
    allowedDomains: z.array(EmailDomain).max(100).optional(),
    invitationLifetimeDays: z.number().int().min(1).max(90).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Change at least one field");
export type UpdateTenantInput = z.infer<typeof UpdateTenantInput>;
