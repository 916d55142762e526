// Actions: GET /actions/actions (`actionName`, `triggerId`, `deployed`), POST, GET/PATCH
// /actions/actions/{id}, POST /actions/actions/{id}/deploy. Builds are instant (status "built").
// Deploying snapshots code and secret values; that snapshot is what oidc/post-login.ts runs.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { EmuAction, Store } from "../../store/index.ts";
import { MgmtError } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { actionsPage, type PageQuery } from "./paging.ts";
import { createActionSchema, updateActionSchema } from "./schemas.ts";

const createBody = payloadValidator(createActionSchema);
const updateBody = payloadValidator(updateActionSchema);

interface ActionBody {
  name?: string;
  supported_triggers?: { id: string; version?: string }[];
  code?: string;
  runtime?: string;
  dependencies?: { name: string; version?: string }[];
  secrets?: { name?: string; value?: string }[];
  deploy?: boolean;
}

function versionView(a: EmuAction): Record<string, unknown> | undefined {
  const d = a.deployed;
  if (!d) return undefined;
  return {
    id: d.id,
    action_id: a.id,
    code: d.code,
    dependencies: a.dependencies,
    deployed: true,
    runtime: d.runtime,
    secrets: Object.keys(d.secrets).map((name) => ({
      name,
      updated_at: d.created_at,
    })),
    status: "built",
    number: d.number,
    built_at: d.created_at,
    created_at: d.created_at,
    updated_at: d.created_at,
    supported_triggers: a.supported_triggers,
  };
}

/** ActionBase: what a version or binding says about its action. */
function baseView(a: EmuAction): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    supported_triggers: a.supported_triggers,
    all_changes_deployed:
      a.deployed !== undefined &&
      a.deployed.code === a.code &&
      a.deployed.runtime === a.runtime &&
      a.secrets.every((s) => a.deployed?.secrets[s.name] === s.value),
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

export function actionView(a: EmuAction): Record<string, unknown> {
  const deployed = versionView(a);
  return {
    ...baseView(a),
    code: a.code,
    dependencies: a.dependencies,
    runtime: a.runtime,
    secrets: a.secrets.map((s) => ({ name: s.name, updated_at: s.updated_at })),
    ...(deployed ? { deployed_version: deployed } : {}),
    status: "built",
    built_at: a.updated_at,
  };
}

function apply(a: EmuAction, body: ActionBody, now: string): void {
  if (body.name !== undefined) a.name = body.name;
  if (body.supported_triggers !== undefined)
    a.supported_triggers = body.supported_triggers;
  if (body.code !== undefined) a.code = body.code;
  if (body.runtime !== undefined) a.runtime = body.runtime;
  if (body.dependencies !== undefined) a.dependencies = body.dependencies;
  if (body.secrets !== undefined)
    a.secrets = body.secrets.map((s) => ({
      name: s.name ?? "",
      value: s.value ?? "",
      updated_at: now,
    }));
  a.updated_at = now;
}

function deploy(a: EmuAction): void {
  a.deployed = {
    id: randomUUID(),
    number: (a.deployed?.number ?? 0) + 1,
    code: a.code,
    runtime: a.runtime,
    secrets: Object.fromEntries(a.secrets.map((s) => [s.name, s.value])),
    created_at: new Date().toISOString(),
  };
}

export function findAction(store: Store, id: string): EmuAction {
  const action = store.actions.get(id);
  if (!action) throw new MgmtError(404, "That action does not exist.");
  return action;
}

export function actionsRoutes(app: FastifyInstance, store: Store): void {
  const read = { config: { scopes: ["read:actions"] } };

  app.get<{
    Querystring: PageQuery & {
      actionName?: string;
      triggerId?: string;
      deployed?: string;
    };
  }>("/actions/actions", read, (req) => {
    const { actionName, triggerId, deployed } = req.query;
    const list = store.actions
      .list()
      .filter((a) => !actionName || a.name === actionName)
      .filter(
        (a) =>
          !triggerId || a.supported_triggers.some((t) => t.id === triggerId),
      )
      .filter((a) => deployed !== "true" || a.deployed !== undefined)
      .map(actionView);
    return actionsPage(list, req.query, "actions");
  });

  app.get<{ Params: { id: string } }>("/actions/actions/:id", read, (req) =>
    actionView(findAction(store, req.params.id)),
  );

  app.post(
    "/actions/actions",
    { config: { scopes: ["create:actions"] } },
    async (req, reply) => {
      const body = createBody.check<ActionBody & { name: string }>(req.body);
      if (store.actions.list().some((a) => a.name === body.name))
        throw new MgmtError(
          409,
          `An action with the name '${body.name}' already exists.`,
        );
      const now = new Date().toISOString();
      const action: EmuAction = {
        id: randomUUID(),
        name: body.name,
        supported_triggers: [],
        code: "",
        runtime: "node22",
        dependencies: [],
        secrets: [],
        created_at: now,
        updated_at: now,
      };
      apply(action, body, now);
      if (body.deploy) deploy(action);
      store.actions.create(action);
      return reply.code(201).send(actionView(action));
    },
  );

  app.patch<{ Params: { id: string } }>(
    "/actions/actions/:id",
    { config: { scopes: ["update:actions"] } },
    (req) => {
      const action = findAction(store, req.params.id);
      const body = updateBody.check<ActionBody>(req.body);
      store.actions.update(action.id, (a) =>
        apply(a, body, new Date().toISOString()),
      );
      return actionView(action);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/actions/actions/:id/deploy",
    { config: { scopes: ["create:actions"] } },
    async (req, reply) => {
      const action = findAction(store, req.params.id);
      store.actions.update(action.id, deploy);
      return reply
        .code(202)
        .send({ ...versionView(action), action: baseView(action) });
    },
  );
}
