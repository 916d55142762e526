// Trigger bindings: GET and PATCH /actions/triggers/{triggerId}/bindings. PATCH replaces the list;
// each ref (action_id, action_name or binding_id) must name a deployed Action that supports the
// trigger. A store without `bindings` (the seed) lists none here, while oidc/post-login.ts runs
// the repository's Action for it; the first PATCH of post-login makes the bound list the only truth.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { EmuAction, EmuBinding, Store } from "../../store/index.ts";
import { MgmtError, invalidBody } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { actionView, findAction } from "./actions.ts";
import { actionsPage, type PageQuery } from "./paging.ts";
import { updateBindingsSchema } from "./schemas.ts";

const TRIGGERS = [
  "post-login",
  "credentials-exchange",
  "pre-user-registration",
  "post-user-registration",
  "post-change-password",
  "send-phone-message",
  "password-reset-post-challenge",
];
const updateBody = payloadValidator(updateBindingsSchema);

interface BindingItem {
  ref: { type?: string; value?: string };
  display_name?: string;
}

function trigger(id: string): string {
  if (!TRIGGERS.includes(id))
    throw new MgmtError(404, `Trigger ${id} not found.`);
  return id;
}

export function bindingsRoutes(app: FastifyInstance, store: Store): void {
  const view = (triggerId: string, b: EmuBinding) => ({
    id: b.id,
    trigger_id: triggerId,
    display_name: b.display_name,
    action: actionView(findAction(store, b.action_id)),
    created_at: b.created_at,
    updated_at: b.created_at,
  });

  function resolve(
    triggerId: string,
    item: BindingItem,
    current: EmuBinding[],
  ): EmuAction {
    const { type, value } = item.ref;
    const existing =
      type === "binding_id" ? current.find((b) => b.id === value) : undefined;
    const action = store.actions
      .list()
      .find((a) =>
        type === "action_name"
          ? a.name === value
          : a.id === (existing?.action_id ?? value),
      );
    if (!action)
      throw invalidBody(
        `Invalid binding reference: ${type ?? ""} ${value ?? ""}`,
      );
    if (!action.deployed)
      throw invalidBody(`Action ${action.name} has not been deployed.`);
    if (!action.supported_triggers.some((t) => t.id === triggerId))
      throw invalidBody(
        `Action ${action.name} does not support the ${triggerId} trigger.`,
      );
    return action;
  }

  app.get<{ Params: { triggerId: string }; Querystring: PageQuery }>(
    "/actions/triggers/:triggerId/bindings",
    { config: { scopes: ["read:actions"] } },
    (req) => {
      const id = trigger(req.params.triggerId);
      const list = store.bindings.of(id).map((b) => view(id, b));
      return actionsPage(list, req.query, "bindings");
    },
  );

  app.patch<{ Params: { triggerId: string } }>(
    "/actions/triggers/:triggerId/bindings",
    { config: { scopes: ["update:actions"] } },
    (req) => {
      const id = trigger(req.params.triggerId);
      const body = updateBody.check<{ bindings?: BindingItem[] }>(req.body);
      const current = store.bindings.of(id);
      const now = new Date().toISOString();
      const next = (body.bindings ?? []).map((item): EmuBinding => {
        const action = resolve(id, item, current);
        const kept = current.find((b) => b.action_id === action.id);
        return {
          id: kept?.id ?? randomUUID(),
          action_id: action.id,
          display_name: item.display_name ?? action.name,
          created_at: kept?.created_at ?? now,
        };
      });
      store.bindings.set(id, next);
      return { bindings: next.map((b) => view(id, b)) };
    },
  );
}
