// Hosted ticket pages (Auth0 Management API: POST /api/v2/tickets/email-verification and /password-change): `/u/email-verification?ticket=…` verifies on
// open; `/lo/reset?ticket=…` shows a form, enforces the connection's password policy, sets the
// password (and `last_password_reset`), honours mark_email_as_verified. What happens afterwards
// depends on the tenant's Universal Login experience (GET /api/v2/prompts):
// - Classic: redirect to result_url with Auth0's `success`/`message` (+`email` with
//   includeEmailInRedirect), or a message page without result_url;
// - New: never a redirect (result_url is ignored); a message page with a "Back to <application
//   name>" link whose target after-success.ts chooses.
// Tickets are one-time and expire; a used, expired or unknown ticket gets an error page, never a crash.
import type { FastifyPluginCallback, FastifyReply } from "fastify";
import { checkPasswordPolicy } from "../management/password-policy.ts";
import {
  hashPassword,
  type EmuTicket,
  type EmuUser,
  type Store,
} from "../store/index.ts";
import { backLink, runPostChallenge } from "./after-success.ts";
import { outbox } from "./outbox.ts";
import {
  consumeTicket,
  lookupTicket,
  type TicketLookup,
} from "./ticket-store.ts";
import { messagePage, resetFormPage, ticketErrorPage } from "./views.ts";

export interface TicketsPluginOptions {
  store: Store;
  baseUrl: string;
}

export const VERIFIED_MESSAGE =
  "Your email was verified. You can continue using the application.";
export const PASSWORD_CHANGED_MESSAGE =
  "You can now login to the application with the new password.";

const FAILURES: Record<
  Exclude<TicketLookup, { ok: true }>["reason"],
  [number, string]
> = {
  unknown: [404, "The link is invalid. Please request a new one."],
  used: [400, "This URL can be used only once"],
  expired: [400, "Access expired."],
};

function failure(reply: FastifyReply, lookup: TicketLookup): FastifyReply {
  const [status, message] = lookup.ok
    ? [400, "Invalid ticket"]
    : FAILURES[lookup.reason];
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .send(ticketErrorPage(message));
}

/** Classic only: result_url with success/message; New never redirects (auth0-emulator/README.md, Tickets). */
function redirectTarget(
  store: Store,
  ticket: EmuTicket,
  user: EmuUser,
  message: string,
): string | undefined {
  if (store.tenant.ulExperience !== "classic" || !ticket.result_url)
    return undefined;
  const url = new URL(ticket.result_url);
  url.searchParams.set("success", "true");
  url.searchParams.set("message", message);
  if (ticket.includeEmailInRedirect) url.searchParams.set("email", user.email);
  return url.toString();
}

type TicketQuery = {
  Querystring: { ticket?: string } & Record<string, string>;
};
type ResetBody = {
  Body:
    | { ticket?: string; newPassword?: string; confirmNewPassword?: string }
    | undefined;
};

export const ticketsPlugin: FastifyPluginCallback<TicketsPluginOptions> = (
  app,
  { store },
  done,
) => {
  const html = (reply: FastifyReply) => reply.type("text/html; charset=utf-8");

  /** New UL: the password-reset-post-challenge Actions run once the link is opened. */
  async function challenge(
    ticket: EmuTicket,
    user: EmuUser,
    query: Record<string, string>,
    ip: string,
  ): Promise<boolean> {
    try {
      const url = await runPostChallenge(store, ticket, user, query, ip);
      store.tickets.update(ticket.id, (t) => {
        t.challenged = true;
        if (url) t.action_result_url = url;
        else delete t.action_result_url;
      });
      return true;
    } catch {
      return false;
    }
  }
  const actionFailure = (reply: FastifyReply) =>
    html(reply)
      .code(400)
      .send(
        ticketErrorPage(
          "Something went wrong while running the password reset Actions.",
        ),
      );
  app.get("/__emulator/emails", () => ({ emails: outbox(store) }));

  app.get<TicketQuery>("/u/email-verification", (req, reply) => {
    const lookup = lookupTicket(store, "email-verification", req.query.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const user = store.users.get(lookup.ticket.user_id);
    if (!user)
      return html(reply)
        .code(404)
        .send(ticketErrorPage("The user does not exist."));
    store.users.save({
      ...user,
      email_verified: true,
      updated_at: new Date().toISOString(),
    });
    consumeTicket(store, lookup.ticket);
    const target = redirectTarget(store, lookup.ticket, user, VERIFIED_MESSAGE);
    if (target) return reply.redirect(target, 302);
    return html(reply).send(
      messagePage(
        "Email Verified",
        VERIFIED_MESSAGE,
        store.tenant.ulExperience === "new"
          ? backLink(store, lookup.ticket)
          : undefined,
      ),
    );
  });

  /* jscpd:ignore-start: the two ticket pages (docs/architecture.md, Known duplication) */
  app.get<TicketQuery>("/lo/reset", async (req, reply) => {
    const lookup = lookupTicket(store, "password-change", req.query.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const user = store.users.get(lookup.ticket.user_id);
    if (!user)
      return html(reply)
        .code(404)
        .send(ticketErrorPage("The user does not exist."));
    if (store.tenant.ulExperience === "new") {
      const { ticket: _id, ...query } = req.query;
      const challenged = await challenge(lookup.ticket, user, query, req.ip);
      if (!challenged) return actionFailure(reply);
    }
    const rules = checkPasswordPolicy(store.connection, "").rules;
    return html(reply).send(
      resetFormPage({ ticket: lookup.ticket.id, email: user.email, rules }),
    );
  });
  /* jscpd:ignore-end */

  app.post<ResetBody>("/lo/reset", async (req, reply) => {
    const body = req.body ?? {};
    const lookup = lookupTicket(store, "password-change", body.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const { ticket } = lookup;
    const user = store.users.get(ticket.user_id);
    if (!user)
      return html(reply)
        .code(404)
        .send(ticketErrorPage("The user does not exist."));
    const password = body.newPassword ?? "";
    const policy = checkPasswordPolicy(store.connection, password);
    const error =
      password === ""
        ? "Please enter a new password."
        : password !== body.confirmNewPassword
          ? "Please ensure the password and the confirmation are the same."
          : !policy.ok
            ? "Password is too weak. It does not meet the requirements below."
            : undefined;
    if (error) {
      return html(reply)
        .code(400)
        .send(
          resetFormPage({
            ticket: ticket.id,
            email: user.email,
            error,
            rules: policy.rules,
          }),
        );
    }
    if (store.tenant.ulExperience === "new" && !ticket.challenged) {
      // the form was posted without opening the page: the challenge runs now, without query
      if (!(await challenge(ticket, user, {}, req.ip)))
        return actionFailure(reply);
    }
    const now = new Date().toISOString();
    store.users.save({
      ...user,
      password_hash: hashPassword(password, store.passwordRounds),
      last_password_reset: now,
      updated_at: now,
      ...(ticket.mark_email_as_verified ? { email_verified: true } : {}),
    });
    consumeTicket(store, ticket);
    const target = redirectTarget(
      store,
      ticket,
      user,
      PASSWORD_CHANGED_MESSAGE,
    );
    if (target) return reply.redirect(target, 302);
    return html(reply).send(
      messagePage(
        "Password changed",
        "Your password has been changed successfully.",
        store.tenant.ulExperience === "new"
          ? backLink(store, ticket)
          : undefined,
      ),
    );
  });
  done();
};
