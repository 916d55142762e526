// Client grants: GET /client-grants (`audience`, `client_id`; one offset page — the SDK sends
// include_totals=true with from/take), POST, PATCH /client-grants/{id}. Grants live on their client
// (`EmuClient.grants`, what the client-credentials flow reads); the Management API audience is
// stored as the seed's MANAGEMENT_AUDIENCE sentinel.
import type { FastifyInstance } from "fastify";
import {
  MANAGEMENT_AUDIENCE,
  type GrantRef,
  type Store,
} from "../../store/index.ts";
import { MgmtError } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { offsetPage, type PageQuery } from "./paging.ts";
import { createClientGrantSchema, updateClientGrantSchema } from "./schemas.ts";

const createBody = payloadValidator(createClientGrantSchema);
const updateBody = payloadValidator(updateClientGrantSchema);

export function clientGrantsRoutes(
  app: FastifyInstance,
  store: Store,
  managementAudience: string,
): void {
  const toPublic = (aud: string) =>
    aud === MANAGEMENT_AUDIENCE ? managementAudience : aud;
  const toStored = (aud: string) =>
    aud === managementAudience ? MANAGEMENT_AUDIENCE : aud;

  const view = ({ client, grant }: GrantRef) => ({
    id: grant.id ?? "",
    client_id: client.client_id,
    audience: toPublic(grant.audience),
    scope: [...grant.scope],
    is_system: false,
    subject_type: "client",
  });

  app.get<{
    Querystring: PageQuery & {
      audience?: string;
      client_id?: string;
      from?: string;
      take?: string;
    };
  }>(
    "/client-grants",
    { config: { scopes: ["read:client_grants"] } },
    (req) => {
      const { audience, client_id } = req.query;
      const list = store.grants
        .list()
        .filter((r) => !audience || toPublic(r.grant.audience) === audience)
        .filter((r) => !client_id || r.client.client_id === client_id)
        .map(view);
      return offsetPage(list, req.query, "client_grants");
    },
  );

  app.post(
    "/client-grants",
    { config: { scopes: ["create:client_grants"] } },
    async (req, reply) => {
      const body = createBody.check<{
        client_id?: string;
        audience: string;
        scope?: string[];
      }>(req.body);
      const client = store.clients.get(body.client_id ?? "");
      if (!client)
        throw new MgmtError(404, "Client not found", "inexistent_client");
      const audience = toStored(body.audience);
      if (audience !== MANAGEMENT_AUDIENCE && !store.apis.get(audience))
        throw new MgmtError(
          404,
          "No resource server found by specified identifier",
          "inexistent_resource_server",
        );
      if ((client.grants ?? []).some((g) => g.audience === audience))
        throw new MgmtError(
          409,
          "A client grant for this client and audience already exists",
          "client_grant_conflict",
        );
      const ref = store.grants.create(client, {
        audience,
        scope: body.scope ?? [],
      });
      return reply.code(201).send(view(ref));
    },
  );

  app.patch<{ Params: { id: string } }>(
    "/client-grants/:id",
    { config: { scopes: ["update:client_grants"] } },
    (req) => {
      const ref = store.grants.get(req.params.id);
      if (!ref)
        throw new MgmtError(
          404,
          "The client grant does not exist.",
          "inexistent_client_grant",
        );
      const body = updateBody.check<{ scope?: string[] | null }>(req.body);
      if (body.scope !== undefined)
        store.grants.setScope(ref, body.scope ?? []);
      return view(ref);
    },
  );
}
