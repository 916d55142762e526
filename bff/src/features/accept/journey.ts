// The steps of the invitee's journey behind the pages of routes.ts: the invitation behind a token
// (or the page saying why there is none), the tickets Auth0 makes, and Auth0's record of the
// invitee finishing (invitation-lifecycle/reconcile.ts). Nothing here trusts what a browser sends.
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { reconcileOne } from "../../invitation-lifecycle/reconcile.ts";
import { recordPasswordTicket } from "../../invitation-lifecycle/repository.ts";
import { closedPage } from "./pages.ts";
import { findByToken, type InvitationView } from "./repository.ts";

const VERIFY_TTL_SEC = 15 * 60;
const PASSWORD_TTL_SEC = 15 * 60;

/**
 * Auth0's invite-only recipe: `type=invite` after the ticket's `#` lets a customised password page
 * tell an invitation from a reset (docs/real-tenant.md). Only the fragment changes, never the URL.
 */
export function inviteHint(ticket: string): string {
  return ticket.endsWith("#") ? `${ticket}type=invite` : ticket;
}

export interface JourneyDeps {
  db: Db;
  auth0: Pick<
    Auth0,
    "getUser" | "createPasswordChangeTicket" | "createEmailVerificationTicket"
  >;
  appName: string;
  publicUrl: string;
  inviteeApp: { clientId: string; loginUrl: string };
}

export function createJourney(deps: JourneyDeps) {
  const { db, auth0, appName } = deps;
  const base = deps.publicUrl;
  const { clientId: inviteeClientId, loginUrl } = deps.inviteeApp;

  const link = (token: string, step: string): string =>
    `${base}/invitations/${encodeURIComponent(token)}/${step}`;

  /** The open invitation behind a token, or the page that says why there is none. */
  const lookup = async (
    token: string,
  ): Promise<
    | { inv: InvitationView; stop: null }
    | {
        inv: null;
        stop: { status: number; html: string; accepted: boolean };
      }
  > => {
    const inv = await findByToken(db, token);
    const stop = closedPage(inv, appName, loginUrl);
    return inv && !stop
      ? { inv, stop: null }
      : {
          inv: null,
          stop: {
            ...(stop ?? { status: 404, html: "" }),
            accepted: inv?.state === "accepted",
          },
        };
  };
  /**
   * The password-change ticket. Its issue time is recorded first, so a password set with it is
   * always later (the acceptance rule in reconcile.ts). Classic: back to …/done; otherwise
   * client_id, so New UL offers the invitee app's login.
   */
  const passwordTicket = async (
    inv: InvitationView,
    token: string,
    classic: boolean,
  ) => {
    await recordPasswordTicket(db, inv.id, PASSWORD_TTL_SEC);
    return inviteHint(
      await auth0.createPasswordChangeTicket({
        userId: inv.userId,
        ...(classic
          ? { resultUrl: link(token, "done") }
          : { clientId: inviteeClientId }),
        ttlSec: PASSWORD_TTL_SEC,
        markEmailAsVerified: true,
      }),
    );
  };
  /** Auth0's record now; true when it says the invitee finished (the invitation is then accepted). */
  const finishedInAuth0 = async (inv: InvitationView) =>
    (await reconcileOne(db, auth0, inv))?.change === "accepted";
  /** Auth0's record now, applied to the invitation (null when the user is gone from Auth0). */
  const auth0Record = (inv: InvitationView) => reconcileOne(db, auth0, inv);
  /** Classic only: the email-verification ticket first, back to …/verified. */
  const verificationTicket = (inv: InvitationView, token: string) =>
    auth0.createEmailVerificationTicket({
      userId: inv.userId,
      resultUrl: link(token, "verified"),
      ttlSec: VERIFY_TTL_SEC,
    });
  return {
    lookup,
    passwordTicket,
    verificationTicket,
    finishedInAuth0,
    auth0Record,
  };
}
