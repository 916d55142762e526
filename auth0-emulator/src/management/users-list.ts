// GET /users (spec operation get_users): search_engine v3 only, `q` in the Lucene subset,
// page / per_page / include_totals, sort, fields, and the 1,000-result paging cap (SEARCH docs).
import type { FastifyInstance } from "fastify";
import type { EmuUser, Store } from "../store/index.ts";
import { invalidQuery } from "./errors.ts";
import { QueryError, parseQuery } from "./lucene.ts";
import { fieldValues, matches } from "./search.ts";
import { parseBool, project, toApiUser } from "./user-view.ts";

interface ListQuery {
  q?: string;
  search_engine?: string;
  page?: string;
  per_page?: string;
  include_totals?: string;
  sort?: string;
  fields?: string;
  include_fields?: string;
}

export const SEARCH_CAP = 1000;
const CAP_MESSAGE =
  "You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation.";

function intParam(
  name: string,
  raw: string | undefined,
  fallback: number,
  max?: number,
): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) {
    throw invalidQuery(
      `Query validation error: 'Expected type integer but found type string' on property ${name}.`,
    );
  }
  const n = Number(raw);
  if (max !== undefined && n > max) {
    throw invalidQuery(
      `Query validation error: 'Value ${raw} is greater than maximum ${String(max)}' on property ${name}.`,
    );
  }
  return n;
}

function sortUsers(users: EmuUser[], sort: string | undefined): EmuUser[] {
  const byCreation = (a: EmuUser, b: EmuUser): number =>
    a.created_at.localeCompare(b.created_at) ||
    a.user_id.localeCompare(b.user_id);
  if (!sort) return users.sort(byCreation);
  const m = /^([\w.]+):(1|-1)$/.exec(sort);
  if (!m?.[1])
    throw invalidQuery(
      `Query validation error: 'String does not match pattern ^(([a-zA-Z0-9_\\.]+))\\:(1|-1)$' on property sort.`,
    );
  const field = m[1];
  const dir = m[2] === "-1" ? -1 : 1;
  const key = (u: EmuUser): string => {
    const v = fieldValues(u, field)[0];
    return typeof v === "string" ||
      typeof v === "number" ||
      typeof v === "boolean"
      ? String(v)
      : "";
  };
  return users.sort(
    (a, b) => dir * key(a).localeCompare(key(b)) || byCreation(a, b),
  );
}

export function usersListRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: ListQuery }>(
    "/users",
    { config: { scopes: ["read:users", "read:user_idp_tokens"] } },
    (req) => {
      const query = req.query;
      const engine = query.search_engine;
      if (engine === "v1" || engine === "v2") {
        throw invalidQuery(
          `You are not allowed to use search_engine=${engine}. Use search_engine=v3 instead.`,
        );
      }
      if (engine !== undefined && engine !== "v3") {
        throw invalidQuery(
          `Query validation error: 'No enum match for: "${engine}"' on property search_engine.`,
        );
      }
      if (query.q !== undefined && engine === undefined) {
        throw invalidQuery(
          "The 'q' parameter is available only if you specify 'search_engine=v2|v3'.",
        );
      }
      const page = intParam("page", query.page, 0);
      const perPage = intParam("per_page", query.per_page, 50, 100);
      if ((page + 1) * perPage > SEARCH_CAP) throw invalidQuery(CAP_MESSAGE);

      let users = store.users.list();
      if (query.q !== undefined && query.q.trim() !== "") {
        let parsed;
        try {
          parsed = parseQuery(query.q);
        } catch (err) {
          if (err instanceof QueryError)
            throw invalidQuery(`Invalid query: ${err.message}`);
          throw err;
        }
        users = users.filter((u) => matches(u, parsed));
      }
      const sorted = sortUsers(users, query.sort);
      const start = page * perPage;
      const slice = sorted
        .slice(start, start + perPage)
        .map((u) => project(toApiUser(u), query.fields, query.include_fields));
      if (!parseBool(query.include_totals, false)) return slice;
      return {
        start,
        limit: perPage,
        length: slice.length,
        total: sorted.length,
        users: slice,
      };
    },
  );
}
