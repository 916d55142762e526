// The invitee's journey (public, no bearer token), on both Universal Login experiences (ADR 007).
// GET never changes anything, so mail scanners that open links are harmless. POST /accept
// (same-origin form) creates Auth0's ticket(s):
//   New UL (and "unknown"): one password-change ticket with client_id = the invitee app,
//     mark_email_as_verified and #type=invite; Auth0 then shows "Back to <app>" → the app's login.
//   Classic: the email-verification ticket (result_url …/verified), then the password-change ticket
//     (result_url …/done).
// Nothing a browser sends marks an invitation verified or accepted: the callbacks only ask Auth0
// (reconcile.ts) and then send the person on. The sweep accepts those who never come back.
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Auth0 } from "../../auth0/types.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import type { Feature } from "../../feature.ts";
import type { ExperienceResolver } from "../../invitation-lifecycle/experience.ts";
import type { Branding } from "../../mail/invitation-email.ts";
import { sharedRequestLimits } from "../../request-limits.ts";
import { createJourney } from "./journey.ts";
import { page } from "./pages.ts";

const TokenParams = z.object({ token: z.string().max(200) });
/**
 * What Auth0's Classic redirect appends to a ticket's result_url (success, message, …). Accepted and
 * ignored: acceptance comes from Auth0's user record, never from the URL (ADR 007).
 */
const CallbackQuery = z.object({
  success: z.string().max(20).optional(),
  message: z.string().max(500).optional(),
  code: z.string().max(100).optional(),
  email: z.string().max(320).optional(),
  supportSignUp: z.string().max(10).optional(),
  supportForgotPassword: z.string().max(10).optional(),
});

export interface AcceptDeps {
  db: Db;
  auth0: Pick<
    Auth0,
    "getUser" | "createPasswordChangeTicket" | "createEmailVerificationTicket"
  >;
  /** which Universal Login experience decides the flow (ADR 007) */
  experience: ExperienceResolver;
  branding: Pick<Branding, "appName">;
  config: Pick<Config, "publicUrl" | "inviteeApp">;
  /** per-IP limit on the invitee's pages per minute */
  invitePagesPerMinute: number;
}

export const acceptRoutes: Feature<AcceptDeps> = async (app, deps) => {
  const { db, auth0, config, experience } = deps;
  const { appName } = deps.branding;
  const base = config.publicUrl;
  const { loginUrl } = config.inviteeApp;
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded"))
    await app.register(formbody);
  await app.register(rateLimit, {
    global: true,
    max: deps.invitePagesPerMinute,
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
  const {
    lookup,
    passwordTicket,
    verificationTicket,
    finishedInAuth0,
    auth0Record,
  } = createJourney({
    db,
    auth0,
    appName,
    publicUrl: base,
    inviteeApp: config.inviteeApp,
  });
  const toTheApp = (reply: FastifyReply) => reply.redirect(loginUrl, 303);
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
      // Accept pressed again after a ticket: Auth0 may already say the password was set.
      if (inv.ticketIssuedAt && (await finishedInAuth0(inv)))
        return toTheApp(reply);
      const classic = (await experience.get()) === "classic";
      const ticket =
        !classic || inv.state === "verified"
          ? await passwordTicket(inv, token, classic)
          : await verificationTicket(inv, token);
      return reply.redirect(ticket, 303);
    },
  );

  app.get(
    "/invitations/:token/verified",
    { schema: { params: TokenParams, querystring: CallbackQuery, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (stop?.accepted) return toTheApp(reply);
      if (!inv) return send(reply, stop.status, stop.html);
      // Only Auth0's email_verified counts, whatever the query string says.
      const record = await auth0Record(inv);
      if (record?.change === "accepted") return toTheApp(reply);
      if (!record?.user.emailVerified) {
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
      return reply.redirect(await passwordTicket(inv, token, true), 302);
    },
  );

  /* jscpd:ignore-start: the two accept callbacks (docs/architecture.md, Known duplication) */
  app.get(
    "/invitations/:token/done",
    { schema: { params: TokenParams, querystring: CallbackQuery, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const { inv, stop } = await lookup(token);
      if (stop?.accepted) return toTheApp(reply);
      if (!inv) return send(reply, stop.status, stop.html);
      // "Look it up in Auth0 now": success=true proves nothing.
      if (await finishedInAuth0(inv)) return toTheApp(reply);
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
    },
  );
  /* jscpd:ignore-end */
};
