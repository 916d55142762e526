// Hosted ticket pages (auth0-facts.md §3, §4): `/u/email-verification?ticket=…` verifies on open and
// redirects to result_url with Auth0's `success`/`message` (+`email` with includeEmailInRedirect);
// `/lo/reset?ticket=…` shows a form, enforces the connection's password policy, sets the password,
// honours mark_email_as_verified, then redirects (or says "Password changed"). Tickets are one-time
// and expire; a used, expired or unknown ticket gets an error page, never a crash.
import formbody from "@fastify/formbody";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { checkPasswordPolicy } from "../management/password-policy.ts";
import {
  hashPassword,
  type EmuTicket,
  type EmuUser,
  type Store,
} from "../store.ts";
import { outbox } from "./outbox.ts";
import {
  consumeTicket,
  lookupTicket,
  type TicketLookup,
} from "./ticket-store.ts";
import { messagePage, resetFormPage, ticketErrorPage } from "./views.ts";

export interface TicketPagesOptions {
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

function redirectTarget(
  ticket: EmuTicket,
  user: EmuUser,
  message: string,
): string | undefined {
  if (!ticket.result_url) return undefined;
  const url = new URL(ticket.result_url);
  url.searchParams.set("success", "true");
  url.searchParams.set("message", message);
  if (ticket.includeEmailInRedirect) url.searchParams.set("email", user.email);
  return url.toString();
}

type TicketQuery = { Querystring: { ticket?: string } };
type ResetBody = {
  Body:
    | { ticket?: string; newPassword?: string; confirmNewPassword?: string }
    | undefined;
};

export const ticketPages: FastifyPluginAsync<TicketPagesOptions> = async (
  app,
  { store },
) => {
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded"))
    await app.register(formbody);
  const html = (reply: FastifyReply) => reply.type("text/html; charset=utf-8");
  app.get("/__emulator/emails", () => ({ emails: outbox(store) }));

  app.get<TicketQuery>("/u/email-verification", (req, reply) => {
    const lookup = lookupTicket(store, "email-verification", req.query.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const user = store.userById(lookup.ticket.user_id);
    if (!user)
      return html(reply)
        .code(404)
        .send(ticketErrorPage("The user does not exist."));
    store.putUser({
      ...user,
      email_verified: true,
      updated_at: new Date().toISOString(),
    });
    consumeTicket(store, lookup.ticket);
    const target = redirectTarget(lookup.ticket, user, VERIFIED_MESSAGE);
    if (target) return reply.redirect(target, 302);
    return html(reply).send(messagePage("Email Verified", VERIFIED_MESSAGE));
  });

  app.get<TicketQuery>("/lo/reset", (req, reply) => {
    const lookup = lookupTicket(store, "password-change", req.query.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const user = store.userById(lookup.ticket.user_id);
    if (!user)
      return html(reply)
        .code(404)
        .send(ticketErrorPage("The user does not exist."));
    const rules = checkPasswordPolicy(store.connection, "").rules;
    return html(reply).send(
      resetFormPage({ ticket: lookup.ticket.id, email: user.email, rules }),
    );
  });

  app.post<ResetBody>("/lo/reset", (req, reply) => {
    const body = req.body ?? {};
    const lookup = lookupTicket(store, "password-change", body.ticket);
    if (!lookup.ok) return failure(reply, lookup);
    const { ticket } = lookup;
    const user = store.userById(ticket.user_id);
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
    const now = new Date().toISOString();
    store.putUser({
      ...user,
      password_hash: hashPassword(password, store.passwordRounds),
      last_password_reset: now,
      updated_at: now,
      ...(ticket.mark_email_as_verified ? { email_verified: true } : {}),
    });
    consumeTicket(store, ticket);
    const target = redirectTarget(ticket, user, PASSWORD_CHANGED_MESSAGE);
    if (target) return reply.redirect(target, 302);
    return html(reply).send(
      messagePage(
        "Password changed",
        "Your password has been changed successfully.",
      ),
    );
  });
};
