// APIs: GET /resource-servers (get_resource-servers, `identifiers` filter), GET/PATCH
// /resource-servers/{id} (id or identifier, like Auth0), POST /resource-servers. The seed's APIs get
// a stable id derived from the identifier.
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { EmuApi, Store } from "../../store/index.ts";
import { MgmtError } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { offsetPage, type PageQuery } from "./paging.ts";
import {
  createResourceServerSchema,
  updateResourceServerSchema,
} from "./schemas.ts";

const createBody = payloadValidator(createResourceServerSchema);
const updateBody = payloadValidator(updateResourceServerSchema);

interface ApiBody {
  name?: string;
  identifier?: string;
  scopes?: { value: string; description?: string }[];
  token_lifetime?: number;
  token_dialect?: string;
  enforce_policies?: boolean;
  allow_offline_access?: boolean;
  skip_consent_for_verifiable_first_party_clients?: boolean;
}

export function apiId(api: Pick<EmuApi, "id" | "identifier">): string {
  return (
    api.id ??
    createHash("sha256").update(api.identifier).digest("hex").slice(0, 24)
  );
}

export function resourceServerView(api: EmuApi): Record<string, unknown> {
  return {
    id: apiId(api),
    name: api.name,
    identifier: api.identifier,
    is_system: false,
    scopes: api.scopes.map((value) => {
      const description = api.scope_descriptions?.[value];
      return description === undefined ? { value } : { value, description };
    }),
    signing_alg: "RS256",
    allow_offline_access: api.allow_offline_access ?? false,
    skip_consent_for_verifiable_first_party_clients:
      api.skip_consent_for_verifiable_first_party_clients ?? true,
    token_lifetime: api.token_lifetime,
    token_lifetime_for_web: Math.min(api.token_lifetime, 7200),
    enforce_policies: api.enforce_policies,
    token_dialect: api.token_dialect,
  };
}

function apply(api: EmuApi, body: ApiBody): void {
  if (body.name !== undefined) api.name = body.name;
  if (body.scopes !== undefined) {
    api.scopes = body.scopes.map((s) => s.value);
    api.scope_descriptions = Object.fromEntries(
      body.scopes.flatMap((s) =>
        s.description === undefined ? [] : [[s.value, s.description]],
      ),
    );
  }
  if (body.token_lifetime !== undefined)
    api.token_lifetime = body.token_lifetime;
  if (body.token_dialect !== undefined) api.token_dialect = body.token_dialect;
  if (body.enforce_policies !== undefined)
    api.enforce_policies = body.enforce_policies;
  if (body.allow_offline_access !== undefined)
    api.allow_offline_access = body.allow_offline_access;
  if (body.skip_consent_for_verifiable_first_party_clients !== undefined)
    api.skip_consent_for_verifiable_first_party_clients =
      body.skip_consent_for_verifiable_first_party_clients;
}

function findApi(store: Store, id: string): EmuApi {
  const api = store.apis
    .list()
    .find((a) => apiId(a) === id || a.identifier === id);
  if (!api)
    throw new MgmtError(
      404,
      "The resource server does not exist",
      "inexistent_resource_server",
    );
  return api;
}

export function resourceServersRoutes(
  app: FastifyInstance,
  store: Store,
  managementAudience: string,
): void {
  const read = { config: { scopes: ["read:resource_servers"] } };
  app.get<{ Querystring: PageQuery & { identifiers?: string | string[] } }>(
    "/resource-servers",
    read,
    (req) => {
      const raw = req.query.identifiers;
      const wanted =
        raw === undefined
          ? undefined
          : (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(","));
      const list = store.apis
        .list()
        .filter((a) => !wanted || wanted.includes(a.identifier))
        .map(resourceServerView);
      return offsetPage(list, req.query, "resource_servers");
    },
  );

  app.get<{ Params: { id: string } }>("/resource-servers/:id", read, (req) =>
    resourceServerView(findApi(store, req.params.id)),
  );

  app.post(
    "/resource-servers",
    { config: { scopes: ["create:resource_servers"] } },
    async (req, reply) => {
      const body = createBody.check<ApiBody & { identifier: string }>(req.body);
      if (
        body.identifier === managementAudience ||
        store.apis.get(body.identifier)
      )
        throw new MgmtError(
          409,
          "A resource server with the same identifier already exists",
          "operation_not_supported",
        );
      const api: EmuApi = {
        id: apiId({ identifier: body.identifier }),
        identifier: body.identifier,
        name: body.name ?? body.identifier,
        enforce_policies: false,
        token_dialect: "access_token",
        token_lifetime: 86_400,
        scopes: [],
      };
      apply(api, body);
      store.apis.create(api);
      return reply.code(201).send(resourceServerView(api));
    },
  );

  // The spec documents 201 for a successful PATCH of a resource server.
  app.patch<{ Params: { id: string } }>(
    "/resource-servers/:id",
    { config: { scopes: ["update:resource_servers"] } },
    async (req, reply) => {
      const api = findApi(store, req.params.id);
      const body = updateBody.check<ApiBody>(req.body);
      store.apis.update(api.identifier, (a) => apply(a, body));
      return reply.code(201).send(resourceServerView(api));
    },
  );
}
