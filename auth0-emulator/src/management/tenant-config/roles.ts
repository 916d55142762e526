// Roles: GET /roles (`name_filter`, case-insensitive substring), POST /roles, GET/PATCH
// /roles/{id}, GET/POST /roles/{id}/permissions. The emulator keeps a role's permissions by name;
// a permission belongs to the API whose scopes list it.
import type { FastifyInstance } from "fastify";
import { randomAlnum, type EmuRole, type Store } from "../../store/index.ts";
import { MgmtError } from "../errors.ts";
import { payloadValidator } from "../payload.ts";
import { offsetPage, type PageQuery } from "./paging.ts";
import {
  addRolePermissionsSchema,
  createRoleSchema,
  updateRoleSchema,
} from "./schemas.ts";

const createBody = payloadValidator(createRoleSchema);
const updateBody = payloadValidator(updateRoleSchema);
const permissionsBody = payloadValidator(addRolePermissionsSchema);

function roleView(r: EmuRole): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    ...(r.description === undefined ? {} : { description: r.description }),
  };
}

function findRole(store: Store, id: string): EmuRole {
  const role = store.roles.get(id);
  if (!role) throw new MgmtError(404, "The role does not exist.");
  return role;
}

function permissionView(store: Store, name: string): Record<string, unknown> {
  const api = store.apis.list().find((a) => a.scopes.includes(name));
  const description = api?.scope_descriptions?.[name];
  return {
    permission_name: name,
    resource_server_identifier: api?.identifier ?? "",
    resource_server_name: api?.name ?? "",
    ...(description === undefined ? {} : { description }),
  };
}

export function rolesRoutes(app: FastifyInstance, store: Store): void {
  const read = { config: { scopes: ["read:roles"] } };
  const update = { config: { scopes: ["update:roles"] } };

  app.get<{ Querystring: PageQuery & { name_filter?: string } }>(
    "/roles",
    read,
    (req) => {
      const needle = req.query.name_filter?.toLowerCase();
      const list = store.roles
        .list()
        .filter((r) => !needle || r.name.toLowerCase().includes(needle))
        .map(roleView);
      return offsetPage(list, req.query, "roles");
    },
  );

  app.get<{ Params: { id: string } }>("/roles/:id", read, (req) =>
    roleView(findRole(store, req.params.id)),
  );

  // The spec documents 200 (not 201) for role creation.
  app.post("/roles", { config: { scopes: ["create:roles"] } }, (req) => {
    const body = createBody.check<{ name: string; description?: string }>(
      req.body,
    );
    if (store.roles.list().some((r) => r.name === body.name))
      throw new MgmtError(409, "Role already exists.", "role_already_exists");
    const role: EmuRole = {
      id: `rol_${randomAlnum(16)}`,
      name: body.name,
      permissions: [],
    };
    if (body.description !== undefined) role.description = body.description;
    store.roles.create(role);
    return roleView(role);
  });

  app.patch<{ Params: { id: string } }>("/roles/:id", update, (req) => {
    const role = findRole(store, req.params.id);
    const body = updateBody.check<{ name?: string; description?: string }>(
      req.body,
    );
    store.roles.update(role.id, (r) => {
      if (body.name !== undefined) r.name = body.name;
      if (body.description !== undefined) r.description = body.description;
    });
    return roleView(role);
  });

  app.get<{ Params: { id: string }; Querystring: PageQuery }>(
    "/roles/:id/permissions",
    read,
    (req) => {
      const role = findRole(store, req.params.id);
      return offsetPage(
        role.permissions.map((p) => permissionView(store, p)),
        req.query,
        "permissions",
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    "/roles/:id/permissions",
    update,
    async (req, reply) => {
      const role = findRole(store, req.params.id);
      const body = permissionsBody.check<{
        permissions: {
          resource_server_identifier: string;
          permission_name: string;
        }[];
      }>(req.body);
      for (const p of body.permissions) {
        const api = store.apis.get(p.resource_server_identifier);
        if (!api)
          throw new MgmtError(
            404,
            `Resource server ${p.resource_server_identifier} not found.`,
          );
        if (!api.scopes.includes(p.permission_name))
          throw new MgmtError(
            400,
            `Permission ${p.permission_name} does not exist on ${api.identifier}.`,
            "invalid_body",
          );
      }
      store.roles.update(role.id, (r) => {
        r.permissions = [
          ...new Set([
            ...r.permissions,
            ...body.permissions.map((p) => p.permission_name),
          ]),
        ];
      });
      return reply.code(201).send();
    },
  );
}
