// Role membership: GET /roles/{id}/users (offset or checkpoint paging: `from`/`take` → `{users,
// next}`) and GET /users/{id}/roles (offset paging). Direct assignments only, like Auth0 without
// groups. The BFF uses them to find a tenant's admins (holders of "Customer admin").
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EmuRole, EmuUser, Store } from "../store/index.ts";
import { MgmtError, invalidQuery, userNotFound } from "./errors.ts";
import { payloadValidator } from "./payload.ts";
import { offsetPage, type PageQuery } from "./tenant-config/paging.ts";

const scopes = {
  config: { scopes: ["read:users", "read:roles", "read:role_members"] },
};

function roleUser(u: EmuUser): Record<string, unknown> {
  const view: Record<string, unknown> = { user_id: u.user_id, email: u.email };
  if (u.name) view.name = u.name;
  if (u.picture) view.picture = u.picture;
  return view;
}

function roleView(r: EmuRole): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    ...(r.description === undefined ? {} : { description: r.description }),
  };
}

function take(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw invalidQuery(
      `Query validation error: 'Invalid value ${raw} for take' on property take.`,
    );
  return n;
}

export function roleMembersRoutes(app: FastifyInstance, store: Store): void {
  app.get<{
    Params: { id: string };
    Querystring: PageQuery & { from?: string; take?: string };
  }>("/roles/:id/users", scopes, (req) => {
    const role = store.roles.get(req.params.id);
    if (!role) throw new MgmtError(404, "The role does not exist.");
    const users = store.users
      .list()
      .filter((u) => u.roles.includes(role.id))
      .sort((a, b) => a.user_id.localeCompare(b.user_id));
    const q = req.query;
    if (q.from === undefined && q.take === undefined)
      return offsetPage(users.map(roleUser), q, "users");
    // Checkpoint paging: `from` is the `next` of the previous page (a user id here).
    const start = q.from
      ? users.findIndex((u) => u.user_id >= (q.from ?? ""))
      : 0;
    const size = take(q.take);
    const page = start < 0 ? [] : users.slice(start, start + size);
    const next = start < 0 ? undefined : users[start + size]?.user_id;
    return { users: page.map(roleUser), ...(next ? { next } : {}) };
  });

  app.get<{ Params: { id: string }; Querystring: PageQuery }>(
    "/users/:id/roles",
    scopes,
    (req) => {
      const user = store.users.get(req.params.id);
      if (!user) throw userNotFound();
      const roles = store.roles.list().filter((r) => user.roles.includes(r.id));
      return offsetPage(roles.map(roleView), req.query, "roles");
    },
  );
}

// Assigning and removing (POST /roles/{id}/users, POST and DELETE /users/{id}/roles). Bodies as
// Auth0's OpenAPI document has them (AssignRoleUsersRequestContent, AssignUserRolesRequestContent,
// DeleteUserRolesRequestContent). Assignment is idempotent: a holder stays a holder, once.
const assignRoleUsers = payloadValidator({
  type: "object",
  additionalProperties: false,
  required: ["users"],
  properties: { users: { type: "array", items: { type: "string" } } },
});
const userRolesBody = payloadValidator({
  type: "object",
  additionalProperties: false,
  required: ["roles"],
  properties: {
    roles: {
      type: "array",
      minItems: 1,
      items: { type: "string", minLength: 1 },
    },
  },
});

const roleNotFound = (): MgmtError =>
  new MgmtError(404, "The role does not exist.");

export function roleAssignmentRoutes(app: FastifyInstance, store: Store): void {
  app.post<{ Params: { id: string } }>(
    "/roles/:id/users",
    { config: { scopes: ["update:roles", "create:role_members"] } },
    (req, reply) => {
      const body = assignRoleUsers.check<{ users: string[] }>(
        req.body,
        req.headers["content-type"],
      );
      const role = store.roles.get(req.params.id);
      if (!role) throw roleNotFound();
      const users = body.users.map((id) => store.users.get(id));
      // All or nothing: "One or more of the users do not exist." (the OAS's 404)
      if (users.some((u) => u === undefined))
        throw new MgmtError(404, "One or more of the users do not exist.");
      for (const u of users)
        if (u && !u.roles.includes(role.id))
          store.users.save({ ...u, roles: [...u.roles, role.id] });
      return reply.code(200).send();
    },
  );

  const userRoles =
    (change: "add" | "remove") =>
    (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const body = userRolesBody.check<{ roles: string[] }>(
        req.body,
        req.headers["content-type"],
      );
      const user = store.users.get(req.params.id);
      if (!user) throw userNotFound();
      for (const id of body.roles)
        if (!store.roles.get(id)) throw roleNotFound();
      const roles =
        change === "add"
          ? [...new Set([...user.roles, ...body.roles])]
          : user.roles.filter((id) => !body.roles.includes(id));
      store.users.save({ ...user, roles });
      return reply.code(204).send();
    };
  app.post<{ Params: { id: string } }>(
    "/users/:id/roles",
    { config: { scopes: ["update:users", "create:role_members"] } },
    userRoles("add"),
  );
  app.delete<{ Params: { id: string } }>(
    "/users/:id/roles",
    { config: { scopes: ["update:users", "delete:role_members"] } },
    userRoles("remove"),
  );
}
