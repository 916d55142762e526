// Support's "send password link" and "send verification link": the ticket is created now (eagerly)
// and emailed at once; the ticket URL itself never appears in a response or a log line.
import type { FastifyRequest } from "fastify";
import type { Feature } from "../../feature.ts";
import { actorOf, audit } from "../../audit-log.ts";
import { hasPermission, principalOf, requiresGlobal } from "../../auth.ts";
import { AppError } from "../../errors.ts";
import { DEFAULT_BRANDING, ticketEmail } from "../../mail/invitation-email.ts";
import { ErrorBody } from "../../shared-contract.ts";
import { recordPasswordTicketForUser } from "../../invitation-lifecycle/repository.ts";
import { InvitationLink, LinkSent, SupportUserParams } from "./contract.ts";
import { freshInvitationLink } from "./invitation-link.ts";

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  502: ErrorBody,
};
const TICKET_TTL_SEC = 24 * 3600;

export const supportActionsRoutes: Feature = (app, deps) => {
  const { db, auth0, config, experience } = deps;
  const branding = deps.branding ?? DEFAULT_BRANDING;

  async function sendLink(
    request: FastifyRequest,
    userId: string,
    kind: "password" | "verification",
  ) {
    if (!hasPermission(principalOf(request), "resend:invitations"))
      throw new AppError(
        "forbidden",
        "This needs the permission resend:invitations",
      );
    const mailer = deps.mailer;
    if (!mailer)
      throw new AppError("upstream", "Email sending is not configured");
    const user = await auth0.getUser(userId);
    if (!user) throw new AppError("not_found", "No such user in Auth0");
    const tenantId = user.tenantId;
    const tenant = tenantId
      ? (
          await db.query<{ name: string }>(
            "select name from tenants where id = $1",
            [tenantId],
          )
        ).rows[0]
      : undefined;
    // Classic redirects to result_url; New UL (or an unknown experience) needs client_id and no
    // result_url, and then offers "Back to <app>" → the invitee app's login (ADR 007).
    const target =
      (await experience.get()) === "classic"
        ? { resultUrl: config.inviteeApp.loginUrl }
        : { clientId: config.inviteeApp.clientId };
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
        ticketEmail({ kind, tenantName: tenant?.name ?? null, link, branding }),
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
      ...actorOf(request),
      action:
        kind === "password"
          ? "support.password_link_sent"
          : "support.verification_link_sent",
      target: userId,
    });
    return { userId, email: user.email, kind };
  }

  for (const kind of ["password", "verification"] as const) {
    app.post(
      `/support/users/:userId/${kind}-link`,
      {
        config: requiresGlobal("read:all_tenants"),
        schema: {
          params: SupportUserParams,
          response: { 202: LinkSent, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(await sendLink(request, request.params.userId, kind)),
    );
  }
  app.post(
    "/support/users/:userId/invitation-link",
    {
      config: requiresGlobal("read:all_tenants"),
      schema: {
        params: SupportUserParams,
        response: { 200: InvitationLink, ...errors },
      },
    },
    async (request, reply) => {
      if (!hasPermission(principalOf(request), "resend:invitations"))
        throw new AppError(
          "forbidden",
          "This needs the permission resend:invitations",
        );
      const { userId } = request.params;
      const link = await db.transaction(async (tx) => {
        const fresh = await freshInvitationLink(tx, userId);
        await audit(tx, {
          tenantId: fresh.tenantId,
          ...actorOf(request),
          action: "support.invitation_link_copied",
          target: fresh.email,
          details: { userId },
        });
        return fresh;
      });
      // A credential: never cached by a browser or proxy.
      return reply.header("cache-control", "no-store").send({
        url: `${config.publicUrl}/invitations/${link.token}`,
        expiresAt: link.expiresAt.toISOString(),
      });
    },
  );
  return Promise.resolve();
};
