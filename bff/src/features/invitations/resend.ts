// Resend: retire the current token at once and owe the person a new email (the outbox sends it
// with a fresh token and expiry). Costs no Management API call: tickets are made at accept time.
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { BulkResendInput } from "./contract.ts";
import {
  findLatestInvitationState,
  retireTokenForResend,
  retireTokensForBulkResend,
} from "./repository.ts";

type Actor = Pick<AuditInput, "actor" | "actorEmail" | "requestId">;

const WHY_NOT: Record<string, string> = {
  queued:
    "The invitation is still being created; its email goes out automatically",
  importing:
    "The invitation is still being created; its email goes out automatically",
  accepted: "This person has already accepted the invitation",
  failed: "This invitation failed; invite the person again",
  revoked: "This invitation was revoked; invite the person again",
};

/** One person's open invitation: the email it goes to. 404 without one, 409 saying why it cannot be resent. */
export async function resendOne(
  db: Db,
  tenantId: string,
  userId: string,
  actor: Actor,
): Promise<{ email: string }> {
  return db.transaction(async (tx) => {
    const email = await retireTokenForResend(tx, tenantId, userId);
    if (email === null) {
      const state = await findLatestInvitationState(tx, tenantId, userId);
      if (!state)
        throw new AppError(
          "not_found",
          "No invitation for this person in this tenant",
        );
      throw new AppError(
        "conflict",
        WHY_NOT[state] ?? "This invitation cannot be resent",
        { state },
      );
    }
    await audit(tx, {
      tenantId,
      ...actor,
      action: "invitation.resent",
      target: userId,
    });
    return { email };
  });
}

/** Every open invitation matching the filter (at most `limit`): how many will get a new email. */
export async function resendMany(
  db: Db,
  tenantId: string,
  filter: BulkResendInput,
  actor: Actor,
): Promise<number> {
  return db.transaction(async (tx) => {
    const count = await retireTokensForBulkResend(tx, tenantId, filter);
    await audit(tx, {
      tenantId,
      ...actor,
      action: "invitations.resent",
      details: { count, filter },
    });
    return count;
  });
}
