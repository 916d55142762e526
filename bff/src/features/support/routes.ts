// Support (read:all_tenants): find a person across tenants; with resend:invitations also email them a
// fresh password or verification link (eager Auth0 tickets) or copy their invitation link.
import type { FastifyRequest } from "fastify";
import { actorOf } from "../../audit-log.ts";
import { hasPermission, principalOf, requiresGlobal } from "../../auth.ts";
import type { Auth0 } from "../../auth0/types.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { Feature } from "../../feature.ts";
import type { ExperienceResolver } from "../../invitation-lifecycle/experience.ts";
import type { Branding } from "../../mail/invitation-email.ts";
import type { Mailer } from "../../mail/mailer.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  InvitationLink,
  LinkSent,
  SupportUserParams,
  SupportUserQuery,
  SupportUserSearch,
} from "./contract.ts";
import { copyInvitationLink } from "./invitation-link.ts";
import { sendLink } from "./links.ts";
import { findPerson } from "./search.ts";

export interface SupportDeps {
  db: Db;
  auth0: Pick<
    Auth0,
    | "usersByEmail"
    | "getUser"
    | "createPasswordChangeTicket"
    | "createEmailVerificationTicket"
  >;
  /** sends the eager ticket links */
  mailer: Pick<Mailer, "send">;
  experience: ExperienceResolver;
  branding: Branding;
  config: Pick<Config, "publicUrl" | "inviteeApp">;
}

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  502: ErrorBody,
};
const support = requiresGlobal("read:all_tenants");

/** Sending or copying a link also needs resend:invitations. */
function mustResend(request: FastifyRequest): void {
  if (!hasPermission(principalOf(request), "resend:invitations"))
    throw new AppError(
      "forbidden",
      "This needs the permission resend:invitations",
    );
}

export const supportRoutes: Feature<SupportDeps> = (app, deps) => {
  const { db, auth0, config } = deps;
  const links = { ...deps, inviteeApp: config.inviteeApp };

  app.get(
    "/support/users",
    {
      config: support,
      schema: {
        querystring: SupportUserQuery,
        response: {
          200: SupportUserSearch,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    (request) => findPerson({ db, auth0 }, request.query.email),
  );

  for (const kind of ["password", "verification"] as const) {
    app.post(
      `/support/users/:userId/${kind}-link`,
      {
        config: support,
        schema: {
          params: SupportUserParams,
          response: { 202: LinkSent, ...errors },
        },
      },
      async (request, reply) => {
        mustResend(request);
        const sent = await sendLink(
          links,
          request.params.userId,
          kind,
          actorOf(request),
        );
        return reply.code(202).send(sent);
      },
    );
  }

  app.post(
    "/support/users/:userId/invitation-link",
    {
      config: support,
      schema: {
        params: SupportUserParams,
        response: { 200: InvitationLink, ...errors },
      },
    },
    async (request, reply) => {
      mustResend(request);
      const link = await copyInvitationLink(
        db,
        config.publicUrl,
        request.params.userId,
        actorOf(request),
      );
      // A credential: never cached by a browser or proxy.
      return reply.header("cache-control", "no-store").send(link);
    },
  );
  return Promise.resolve();
};
