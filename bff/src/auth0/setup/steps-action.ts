// The post-login Action that adds the tenant claim: create or update the code, wait for Auth0 to
// build it, deploy when the deployed version differs, and bind it to the post-login trigger
// (keeping any other Actions bound there, in their order).
import type { Management, ManagementClient } from "auth0";
import type { DesiredTenant } from "./desired.ts";
import type { Change } from "./diff.ts";

const TRIGGER = { id: "post-login" as const, version: "v3" };

export interface ActionOptions {
  /** how long to wait for Auth0 to build a new Action version; default 60 s */
  buildTimeoutMs?: number;
  pollMs?: number;
}

async function waitUntilBuilt(
  mgmt: ManagementClient,
  id: string,
  o: ActionOptions,
): Promise<Management.Action> {
  const deadline = Date.now() + (o.buildTimeoutMs ?? 60_000);
  for (;;) {
    const action = await mgmt.actions.get(id);
    if (action.status === "built") return action;
    if (action.status === "failed")
      throw new Error(`Auth0 could not build the Action ${action.name ?? id}`);
    if (Date.now() > deadline)
      throw new Error(`the Action ${action.name ?? id} was not built in time`);
    await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
}

async function ensureCode(
  mgmt: ManagementClient,
  d: DesiredTenant["action"],
  changes: Change[],
  o: ActionOptions,
): Promise<string> {
  const item = `post-login Action "${d.name}"`;
  const page = await mgmt.actions.list({
    actionName: d.name,
    triggerId: TRIGGER.id,
  });
  const current = page.data.find((a) => a.name === d.name);
  const wanted = {
    code: d.code,
    runtime: d.runtime,
    supported_triggers: [TRIGGER],
  };
  let id: string;
  const details: string[] = [];
  let action: Change["action"] = "unchanged";
  if (!current) {
    id = (await mgmt.actions.create({ name: d.name, ...wanted })).id ?? "";
    action = "created";
  } else {
    id = current.id ?? "";
    if (current.code !== d.code || current.runtime !== d.runtime) {
      await mgmt.actions.update(id, wanted);
      action = "updated";
      details.push("code");
    }
  }
  const built = await waitUntilBuilt(mgmt, id, o);
  if (action !== "unchanged" || built.all_changes_deployed !== true) {
    await mgmt.actions.deploy(id);
    if (action === "unchanged") action = "updated";
    details.push("deployed");
  }
  changes.push({
    item,
    action,
    ...(details.length > 0 ? { detail: details.join(", ") } : {}),
  });
  return id;
}

async function ensureBinding(
  mgmt: ManagementClient,
  actionId: string,
  name: string,
  changes: Change[],
) {
  const item = "post-login trigger binding";
  const bindings: Management.ActionBinding[] = [];
  for await (const b of await mgmt.actions.triggers.bindings.list(TRIGGER.id))
    bindings.push(b);
  if (bindings.some((b) => b.action?.id === actionId)) {
    changes.push({ item, action: "unchanged" });
    return;
  }
  await mgmt.actions.triggers.bindings.updateMany(TRIGGER.id, {
    bindings: [
      ...bindings.map((b) => ({
        ref: { type: "action_id" as const, value: b.action?.id ?? "" },
        display_name: b.display_name ?? b.action?.name ?? "",
      })),
      {
        ref: { type: "action_id" as const, value: actionId },
        display_name: name,
      },
    ],
  });
  const after =
    bindings.length > 0
      ? ` (after ${bindings.length} Action(s) already bound)`
      : "";
  changes.push({ item, action: "created", detail: `${name}${after}` });
}

export async function ensureAction(
  mgmt: ManagementClient,
  d: DesiredTenant["action"],
  changes: Change[],
  o: ActionOptions = {},
): Promise<void> {
  const id = await ensureCode(mgmt, d, changes, o);
  await ensureBinding(mgmt, id, d.name, changes);
}
