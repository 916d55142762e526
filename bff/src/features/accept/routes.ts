// The invitee's journey (public, no bearer token). GET never changes anything, so mail scanners
// that open links are harmless. POST /accept (same-origin form) creates the email-verification
// ticket; its callback checks Auth0 really verified the email, then creates the password-change
// ticket; the last callback marks the invitation accepted and sends the person to the app to sign in.
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Feature } from "../../app.ts";
import { DEFAULT_BRANDING } from "../../mail/invitation-email.ts";
import { sharedRequestLimits } from "../../request-limits.ts";
import { closedPage, page } from "./pages.ts";
import {
  findByToken,
  markAccepted,
  markVerified,
  type InvitationView,
} from "./store.ts";

const TokenParams = z.object({ token: z.string().max(200) });
const CallbackQuery = z.object({
  success: z.string().optional(),
  message: z.string().max(500).optional(),
});

const VERIFY_TTL_SEC = 15 * 60;
const PASSWORD_TTL_SEC = 15 * 60;

/**
 * Auth0's invite-only recipe: `type=invite` after the ticket's `#` lets a customised password page
 * tell an invitation from a reset (docs/real-tenant.md). Only the fragment changes, never the URL.
 */
export function inviteHint(ticket: string): string {
  return ticket.endsWith("#") ? `${ticket}type=invite` : ticket;
}

export const acceptRoutes: Feature = async (app, deps) => {
  const { db, auth0, config } = deps;
  const appName = (deps.branding ?? DEFAULT_BRANDING).appName;
  const base = config.publicUrl;
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded"))
    await app.register(formbody);
  await app.register(rateLimit, {
    global: true,
    max: deps.invitePagesPerMinute ?? 60,
    timeWindow: "1 minute",
    keyGenerator: (req) => req.ip,
    // per IP across all instances, not per instance (request-limits.ts)
    store: sharedRequestLimits(db, "invitee-pages"),
  });

  const send = (
    reply: FastifyReply,
    status: number,
    html: string,
  ): FastifyReply =>
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(html);
  const link = (token: string, step: string): string =>
    `${base}/invitations/${encodeURIComponent(token)}/${step}`;

  /** The open invitation behind a token, or the page that says why there is none. */
  const lookup = async (
    token: string,
  ): Promise<
    | { inv: InvitationView; stop: null }
    | { inv: null; stop: { status: number; html: string } }
  > => {
    const inv = await findByToken(db, token);
    const stop = closedPage(inv, appName, base);
    return inv && !stop
      ? { inv, stop: null }
      : { inv: null, stop: stop ?? { status: 404, html: "" } };
  };
  const passwordTicket = async (inv: InvitationView, token: string) =>
    inviteHint(
      await auth0.createPasswordChangeTicket({
        userId: inv.userId,
        resultUrl: link(token, "done"),
        ttlSec: PASSWORD_TTL_SEC,
        markEmailAsVerified: true,
      }),
    );
  /** A step did not complete: explain, and offer Accept again (which resumes where it stopped). */
  const tryAgain = (
    token: string,
    title: string,
    heading: string,
    paragraph: string,
  ) =>
    page({
      title,
      heading,
      paragraphs: [paragraph],
      form: {
        action: `/invitations/${encodeURIComponent(token)}/accept`,
        button: "Accept",
      },
    });

  const sameOrigin = (request: FastifyRequest): boolean => {
    const expected = new URL(base).origin;
    const origin = request.headers.origin;
    if (typeof origin === "string") return origin === expected;
    const referer = request.headers.referer;
    return typeof referer === "string" && referer.startsWith(`${expected}/`);
  };

  app.get(
    "/invitations/:token",
    { schema: { params: TokenParams, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (!inv) return send(reply, stop.status, stop.html);
      return send(
        reply,
        200,
        page({
          title: `${inv.tenantName} invited you to ${appName}`,
          heading: `${inv.tenantName} invited you to ${appName}`,
          paragraphs: [
            `Accept to confirm ${inv.email} and choose your password. Then sign in to ${appName}.`,
          ],
          form: {
            action: `/invitations/${encodeURIComponent(token)}/accept`,
            button: "Accept",
          },
        }),
      );
    },
  );

  app.post(
    "/invitations/:token/accept",
    { schema: { params: TokenParams, hide: true } },
    async (request, reply) => {
      if (!sameOrigin(request)) {
        return send(
          reply,
          403,
          page({
            title: "Not allowed",
            heading: "Please use the button on the invitation page",
            paragraphs: [
              "Open the link from your invitation email again and press Accept.",
            ],
          }),
        );
      }
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (!inv) return send(reply, stop.status, stop.html);
      const ticket =
        inv.state === "verified"
          ? await passwordTicket(inv, token)
          : await auth0.createEmailVerificationTicket({
              userId: inv.userId,
              resultUrl: link(token, "verified"),
              ttlSec: VERIFY_TTL_SEC,
            });
      return reply.redirect(ticket, 303);
    },
  );

  app.get(
    "/invitations/:token/verified",
    { schema: { params: TokenParams, querystring: CallbackQuery, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (!inv) return send(reply, stop.status, stop.html);
      const user = await auth0.getUser(inv.userId);
      if (!user?.emailVerified) {
        return send(
          reply,
          400,
          tryAgain(
            token,
            "Email not confirmed",
            "We could not confirm your email address",
            "The confirmation did not complete. Press Accept to try again.",
          ),
        );
      }
      await markVerified(db, inv.id);
      return reply.redirect(await passwordTicket(inv, token), 302);
    },
  );

  app.get(
    "/invitations/:token/done",
    { schema: { params: TokenParams, querystring: CallbackQuery, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (!inv) return send(reply, stop.status, stop.html);
      if (request.query.success !== "true" || inv.state !== "verified") {
        return send(
          reply,
          400,
          tryAgain(
            token,
            "Password not set",
            "Your password was not set",
            "Press Accept to choose your password again.",
          ),
        );
      }
      await markAccepted(db, inv.id);
      return reply.redirect(`${base}/?invitation=accepted`, 302);
    },
  );
};
