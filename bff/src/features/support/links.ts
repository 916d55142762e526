// Support's "send password link" and "send verification link": the ticket is created now (eagerly)
// and emailed at once; the ticket URL itself never appears in a response or a log line.
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { ExperienceResolver } from "../../invitation-lifecycle/experience.ts";
import { recordPasswordTicketForUser } from "../../invitation-lifecycle/repository.ts";
import { ticketEmail, type Branding } from "../../mail/invitation-email.ts";
import type { Mailer } from "../../mail/mailer.ts";
import type { LinkSent } from "./contract.ts";
import { findTenantName } from "./repository.ts";

const TICKET_TTL_SEC = 24 * 3600;

export interface LinkDeps {
  db: Db;
  auth0: Pick<
    Auth0,
    "getUser" | "createPasswordChangeTicket" | "createEmailVerificationTicket"
  >;
  mailer: Pick<Mailer, "send">;
  experience: ExperienceResolver;
  branding: Branding;
  inviteeApp: { loginUrl: string; clientId: string };
}

export async function sendLink(
  deps: LinkDeps,
  userId: string,
  kind: LinkSent["kind"],
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
): Promise<LinkSent> {
  const { db, auth0, mailer, experience, branding, inviteeApp } = deps;
  const user = await auth0.getUser(userId);
  if (!user) throw new AppError("not_found", "No such user in Auth0");
  const tenantId = user.tenantId;
  const tenantName = tenantId ? await findTenantName(db, tenantId) : null;
  // Classic redirects to result_url; New UL (or an unknown experience) needs client_id and no
  // result_url, and then offers "Back to <app>" → the invitee app's login (ADR 007).
  const target =
    (await experience.get()) === "classic"
      ? { resultUrl: inviteeApp.loginUrl }
      : { clientId: inviteeApp.clientId };
  if (kind === "password")
    // An open invitation is accepted once Auth0 says this password was set (reconcile.ts).
    await recordPasswordTicketForUser(db, userId, TICKET_TTL_SEC);
  const link =
    kind === "password"
      ? await auth0.createPasswordChangeTicket({
          userId,
          ...target,
          ttlSec: TICKET_TTL_SEC,
          markEmailAsVerified: true,
        })
      : await auth0.createEmailVerificationTicket({
          userId,
          ...target,
          ttlSec: TICKET_TTL_SEC,
        });
  try {
    await mailer.send(
      user.email,
      ticketEmail({ kind, tenantName, link, branding }),
    );
  } catch (error) {
    throw new AppError(
      "upstream",
      "The email server did not accept the message; try again",
      undefined,
      { cause: error },
    );
  }
  await audit(db, {
    tenantId,
    ...actor,
    action:
      kind === "password"
        ? "support.password_link_sent"
        : "support.verification_link_sent",
    target: userId,
  });
  return { userId, email: user.email, kind };
}
