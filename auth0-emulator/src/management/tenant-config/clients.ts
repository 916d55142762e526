// Applications: GET /clients (get_clients), GET/PATCH /clients/{id}, POST /clients. Secrets are
// shown only to tokens with read:client_keys (a created client's secret is in the 201 response).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { randomAlnum, type EmuClient, type Store } from "../../store/index.ts";
import { hasScope } from "../auth.ts";
import { MgmtError, invalidBody } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { project } from "../user-view.ts";
import { checkLoginUri } from "./login-uri.ts";
import { offsetPage, type PageQuery } from "./paging.ts";
import { createClientSchema, updateClientSchema } from "./schemas.ts";

const READ = [
  "read:clients",
  "read:client_keys",
  "read:client_credentials",
  "read:client_summary",
];
const APP_TYPES: readonly EmuClient["app_type"][] = [
  "spa",
  "non_interactive",
  "regular_web",
];
const createBody = payloadValidator(createClientSchema);
const updateBody = payloadValidator(updateClientSchema);

type ClientBody = Record<string, unknown> & {
  name?: string;
  app_type?: string;
  callbacks?: string[];
  allowed_logout_urls?: string[];
  web_origins?: string[];
  grant_types?: string[];
  client_secret?: string;
};

export function clientView(
  c: EmuClient,
  withSecret: boolean,
): Record<string, unknown> {
  return {
    tenant: "emulator",
    global: false,
    is_first_party: true,
    oidc_conformant: true,
    token_endpoint_auth_method: c.client_secret ? "client_secret_post" : "none",
    ...c.settings,
    client_id: c.client_id,
    name: c.name,
    app_type: c.app_type,
    callbacks: c.callbacks ?? [],
    allowed_logout_urls: c.allowed_logout_urls ?? [],
    web_origins: c.web_origins ?? [],
    grant_types: c.grant_types,
    ...(withSecret && c.client_secret
      ? { client_secret: c.client_secret }
      : {}),
  };
}

function appType(
  raw: string | undefined,
  fallback: EmuClient["app_type"],
): EmuClient["app_type"] {
  if (raw === undefined) return fallback;
  const found = APP_TYPES.find((t) => t === raw);
  if (!found)
    throw invalidBody(
      `The emulator supports app_type ${APP_TYPES.join(", ")} only (got ${raw}).`,
    );
  return found;
}

/** Writes the body's fields onto the client: known ones to their fields, the rest to settings. */
function apply(c: EmuClient, body: ClientBody): void {
  const login = body.initiate_login_uri;
  if (typeof login === "string" && login !== "" && checkLoginUri(login))
    throw invalidBody(
      `Payload validation error: 'Object didn't pass validation for format absolute-https-uri-with-placeholders-or-empty: ${login}' on property initiate_login_uri.`,
    );
  const {
    name,
    app_type,
    callbacks,
    allowed_logout_urls,
    web_origins,
    grant_types,
    client_secret,
    ...rest
  } = body;
  if (name !== undefined) c.name = name;
  c.app_type = appType(app_type, c.app_type);
  if (callbacks !== undefined) c.callbacks = callbacks;
  if (allowed_logout_urls !== undefined)
    c.allowed_logout_urls = allowed_logout_urls;
  if (web_origins !== undefined) c.web_origins = web_origins;
  if (grant_types !== undefined) c.grant_types = grant_types;
  if (client_secret !== undefined) c.client_secret = client_secret;
  c.settings = { ...c.settings, ...rest };
}

function findClient(store: Store, id: string): EmuClient {
  const c = store.clients.get(id);
  if (!c)
    throw new MgmtError(404, "The client does not exist", "inexistent_client");
  return c;
}

const withKeys = (req: FastifyRequest) => hasScope(req, "read:client_keys");

export function clientsRoutes(app: FastifyInstance, store: Store): void {
  app.get<{
    Querystring: PageQuery & {
      fields?: string;
      include_fields?: string;
      app_type?: string;
    };
  }>("/clients", { config: { scopes: READ } }, (req) => {
    const types = req.query.app_type?.split(",");
    const list = store.clients
      .list()
      .filter((c) => !types || types.includes(c.app_type))
      .map((c) =>
        project(
          clientView(c, withKeys(req)),
          req.query.fields,
          req.query.include_fields,
        ),
      );
    return offsetPage(list, req.query, "clients");
  });

  app.get<{ Params: { id: string } }>(
    "/clients/:id",
    { config: { scopes: READ } },
    (req) => clientView(findClient(store, req.params.id), withKeys(req)),
  );

  app.post(
    "/clients",
    { config: { scopes: ["create:clients"] } },
    async (req, reply) => {
      const body = createBody.check<ClientBody>(req.body);
      const type = appType(body.app_type, "regular_web");
      const client: EmuClient = {
        client_id: randomAlnum(32),
        name: body.name ?? "",
        app_type: type,
        grant_types:
          type === "non_interactive"
            ? ["client_credentials"]
            : ["authorization_code", "refresh_token"],
        ...(type === "spa" ? {} : { client_secret: randomAlnum(64) }),
      };
      apply(client, body);
      store.clients.create(client);
      return reply.code(201).send(clientView(client, true));
    },
  );

  app.patch<{ Params: { id: string } }>(
    "/clients/:id",
    {
      config: {
        scopes: [
          "update:clients",
          "update:client_keys",
          "update:client_credentials",
        ],
      },
    },
    (req) => {
      const client = findClient(store, req.params.id);
      const body = updateBody.check<ClientBody>(req.body);
      store.clients.update(client.client_id, (c) => apply(c, body));
      return clientView(client, withKeys(req));
    },
  );
}
