// POST /tickets/email-verification and /tickets/password-change (spec operations
// post_email-verification, post_password-change). Exactly today's body fields: unknown ones such as
// `new_password` fail with 400 invalid_body (additionalProperties: false).
import type { FastifyInstance } from "fastify";
import type { EmuUser, Store } from "../store/index.ts";
import { createTicket } from "../tickets/ticket-store.ts";
import { MgmtError, invalidBody } from "./errors.ts";
import { payloadValidator } from "./payload.ts";
import {
  changePasswordTicketSchema,
  verifyEmailTicketSchema,
} from "./schemas.ts";

interface TicketBody {
  user_id?: string;
  result_url?: string;
  client_id?: string;
  organization_id?: string;
  connection_id?: string;
  email?: string;
  ttl_sec?: number;
  mark_email_as_verified?: boolean;
  includeEmailInRedirect?: boolean;
  identity?: { user_id: string; provider: string; connection_id?: string };
}

const verifyValidator = payloadValidator(verifyEmailTicketSchema);
const changeValidator = payloadValidator(changePasswordTicketSchema);
const scopes = ["create:user_tickets"];

function checkCommon(store: Store, body: TicketBody): void {
  if (body.client_id !== undefined && !store.clients.get(body.client_id)) {
    throw new MgmtError(400, "The client does not exist", "inexistent_client");
  }
  if (body.organization_id !== undefined)
    throw new MgmtError(
      400,
      "The organization does not exist",
      "inexistent_organization",
    );
}

function findUser(
  store: Store,
  id: string,
  identity: TicketBody["identity"],
): EmuUser {
  const user = store.users.get(id);
  if (!user) throw new MgmtError(404, "User not found.", "inexistent_user");
  if (
    identity &&
    !user.identities.some(
      (i) => i.provider === identity.provider && i.user_id === identity.user_id,
    )
  ) {
    throw invalidBody(
      "The user exists, but does not contain the given identity.",
    );
  }
  return user;
}

function passwordChangeUser(store: Store, body: TicketBody): EmuUser {
  if (body.user_id !== undefined) {
    if (body.connection_id !== undefined || body.email !== undefined) {
      throw invalidBody(
        "Payload validation error: 'user_id' cannot be specified together with 'connection_id' or 'email'.",
      );
    }
    return findUser(store, body.user_id, body.identity);
  }
  if (body.email === undefined || body.connection_id === undefined) {
    throw invalidBody(
      "Payload validation error: specify either 'user_id', or 'email' together with 'connection_id'.",
    );
  }
  const connection = store.connections
    .list()
    .find((c) => c.id === body.connection_id);
  if (!connection)
    throw invalidBody(
      `The connection with id ${body.connection_id} does not exist.`,
    );
  const user = store.users.byEmail(body.email);
  if (!user || user.connection !== connection.name)
    throw new MgmtError(404, "User not found.", "inexistent_user");
  return user;
}

export function ticketsRoutes(
  app: FastifyInstance,
  store: Store,
  baseUrl: string,
): void {
  app.post(
    "/tickets/email-verification",
    { config: { scopes } },
    async (req, reply) => {
      const body = verifyValidator.check<TicketBody & { user_id: string }>(
        req.body,
        req.headers["content-type"],
      );
      if (
        body.result_url !== undefined &&
        (body.client_id !== undefined || body.organization_id !== undefined)
      ) {
        throw invalidBody(
          "Payload validation error: 'result_url' cannot be specified when using 'client_id' or 'organization_id'.",
        );
      }
      checkCommon(store, body);
      const user = findUser(store, body.user_id, body.identity);
      const ticket = createTicket(store, baseUrl, {
        kind: "email-verification",
        user_id: user.user_id,
        ...pick(body),
      });
      return reply.code(201).send({ ticket });
    },
  );

  app.post(
    "/tickets/password-change",
    { config: { scopes } },
    async (req, reply) => {
      const body = changeValidator.check<TicketBody>(
        req.body,
        req.headers["content-type"],
      );
      if (body.result_url !== undefined && body.organization_id !== undefined) {
        throw invalidBody(
          "Payload validation error: 'result_url' cannot be specified when using 'organization_id'.",
        );
      }
      checkCommon(store, body);
      const user = passwordChangeUser(store, body);
      const ticket = createTicket(store, baseUrl, {
        kind: "password-change",
        user_id: user.user_id,
        ...pick(body),
        mark_email_as_verified: body.mark_email_as_verified ?? false,
      });
      return reply.code(201).send({ ticket });
    },
  );
}

function pick(body: TicketBody) {
  return {
    ...(body.result_url !== undefined ? { result_url: body.result_url } : {}),
    ...(body.client_id !== undefined ? { client_id: body.client_id } : {}),
    ...(body.ttl_sec !== undefined ? { ttl_sec: body.ttl_sec } : {}),
    ...(body.includeEmailInRedirect !== undefined
      ? { includeEmailInRedirect: body.includeEmailInRedirect }
      : {}),
  };
}
