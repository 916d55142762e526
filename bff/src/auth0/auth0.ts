// THE Auth0 adapter: the only module that talks to the auth0 SDK. One ManagementClient; our own
// types out (types.ts); SDK errors mapped to AppError (map-error.ts); every call through the shared
// rate budget (management-fetch.ts + rate-budget.ts).
import { ManagementClient, type Management } from "auth0";
import type { Config } from "../config.ts";
import { auth0ProblemOf, mapAuth0Error } from "./map-error.ts";
import { createManagementFetch } from "./management-fetch.ts";
import type {
  AppUser,
  Auth0,
  Auth0ConfigurationProblem,
  Auth0Job,
  Auth0JobError,
  Auth0JobStatus,
  PasswordState,
  RateLimiter,
} from "./types.ts";

export type { Auth0 } from "./types.ts";

export interface CreateAuth0Options {
  limiter?: RateLimiter;
  /** SDK retries for 408/5xx (never used for import-job creation); default config.auth0.maxRetries */
  maxRetries?: number;
  timeoutInSeconds?: number;
  fetchImpl?: typeof fetch;
}

const JOB_STATUSES: readonly Auth0JobStatus[] = [
  "pending",
  "processing",
  "completed",
  "failed",
  "expired",
];

function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

export function toAppUser(u: Management.UserResponseSchema): AppUser {
  const meta: Record<string, unknown> = u.app_metadata ?? {};
  return {
    userId: u.user_id ?? "",
    email: (u.email ?? "").toLowerCase(),
    emailVerified: u.email_verified === true,
    blocked: u.blocked === true,
    name: str(u.name),
    givenName: str(u.given_name),
    familyName: str(u.family_name),
    tenantId: str(meta.tenant_id),
    lastLogin: str(u.last_login),
    lastPasswordReset: str(u.last_password_reset),
    loginsCount: typeof u.logins_count === "number" ? u.logins_count : 0,
    createdAt: str(u.created_at),
    updatedAt: str(u.updated_at),
  };
}

function toPasswordState(u: Management.UserResponseSchema): PasswordState {
  return {
    userId: u.user_id ?? "",
    emailVerified: u.email_verified === true,
    lastPasswordReset: str(u.last_password_reset),
    lastLogin: str(u.last_login),
    loginsCount: typeof u.logins_count === "number" ? u.logins_count : 0,
  };
}

/** A Lucene phrase value: quotes and backslashes escaped. */
function quoted(v: string): string {
  return `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function toJobErrors(raw: unknown): Auth0JobError[] {
  if (!Array.isArray(raw)) return []; // 204 (undefined) or the generic "job failed" object
  return (raw as Management.GetJobErrorResponseContent[]).map((e) => ({
    user: {
      email: typeof e.user?.email === "string" ? e.user.email : "",
      ...(typeof e.user?.user_id === "string"
        ? { user_id: e.user.user_id }
        : {}),
    },
    errors: (e.errors ?? []).map((x) => ({
      code: String(x.code ?? "UNKNOWN"),
      message: String(x.message ?? ""),
      ...(x.path ? { path: String(x.path) } : {}),
    })),
  }));
}

export function createAuth0(
  config: Config,
  options: CreateAuth0Options = {},
): Auth0 {
  const { auth0: c } = config;
  const mgmt = new ManagementClient({
    domain: c.domain,
    audience: c.managementAudience,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    maxRetries: options.maxRetries ?? c.maxRetries,
    timeoutInSeconds: options.timeoutInSeconds ?? 30,
    fetch: createManagementFetch({
      domain: c.domain,
      managementUrl: c.managementUrl,
      limiter: options.limiter,
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    }),
  });

  // 401/403 per action, cleared as soon as the same action gets any other answer.
  const problems = new Map<string, Auth0ConfigurationProblem>();
  async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      problems.delete(action);
      return result;
    } catch (error) {
      const mapped = mapAuth0Error(error, action);
      if (auth0ProblemOf(mapped) === "configuration") {
        const d = mapped.details as { missingScopes?: string[] };
        problems.set(action, {
          action,
          message: mapped.message,
          missingScopes: d.missingScopes ?? [],
          at: new Date().toISOString(),
        });
      } else if (
        typeof mapped.details === "object" &&
        mapped.details !== null &&
        "auth0Status" in mapped.details &&
        typeof mapped.details.auth0Status === "number"
      )
        problems.delete(action); // Auth0 answered something else: the grant is fine now
      throw mapped;
    }
  }
  async function orNull<T>(
    action: string,
    fn: () => Promise<T>,
  ): Promise<T | null> {
    try {
      return await call(action, fn);
    } catch (error) {
      if (
        error instanceof Error &&
        "code" in error &&
        error.code === "not_found"
      )
        return null;
      throw error;
    }
  }

  return {
    configurationProblems: () => [...problems.values()],

    getConnection: () =>
      call("read the connection", async () => {
        const conn = await mgmt.connections.get(c.connectionId);
        const opts: unknown = conn.options;
        const flag =
          typeof opts === "object" && opts !== null && "disable_signup" in opts
            ? opts.disable_signup
            : undefined;
        return {
          id: conn.id ?? c.connectionId,
          name: conn.name ?? c.connectionName,
          disableSignup: opts === undefined ? null : flag === true,
        };
      }),

    createUsersImportJob: ({ users, externalId }) =>
      call("create a users import job", async () => {
        const job = await mgmt.jobs.usersImports.create(
          {
            users: {
              data: Buffer.from(JSON.stringify(users)),
              filename: "users.json",
              contentType: "application/json",
            },
            connection_id: c.connectionId,
            upsert: false,
            external_id: externalId,
            send_completion_email: false,
          },
          { maxRetries: 0 }, // never retried blindly: a retry can create a second job
        );
        return { jobId: job.id };
      }),

    getJob: (jobId) =>
      call("read an import job", async () => {
        const j = await mgmt.jobs.get(jobId);
        const status = JOB_STATUSES.find((s) => s === j.status) ?? "processing";
        const job: Auth0Job = { id: j.id, status };
        if (j.summary) {
          const s = j.summary;
          job.summary = {
            failed: s.failed ?? 0,
            updated: s.updated ?? 0,
            inserted: s.inserted ?? 0,
            total: s.total ?? 0,
          };
        }
        if (typeof j.percentage_done === "number")
          job.percentageDone = j.percentage_done;
        if (typeof j.time_left_seconds === "number")
          job.timeLeftSeconds = j.time_left_seconds;
        if (typeof j.external_id === "string") job.externalId = j.external_id;
        return job;
      }),

    getJobErrors: (jobId) =>
      call("read import job errors", async () =>
        toJobErrors(await mgmt.jobs.errors.get(jobId)),
      ),

    // result_url is Classic-only and cannot be combined with client_id (Auth0 Management API: POST /api/v2/tickets/email-verification, `result_url`).
    createEmailVerificationTicket: ({ userId, resultUrl, clientId, ttlSec }) =>
      call("create an email verification ticket", async () => {
        const r = await mgmt.tickets.verifyEmail({
          user_id: userId,
          ...(resultUrl
            ? { result_url: resultUrl }
            : clientId
              ? { client_id: clientId }
              : {}),
          ttl_sec: ttlSec,
          includeEmailInRedirect: false,
        });
        return r.ticket;
      }),

    createPasswordChangeTicket: ({
      userId,
      resultUrl,
      clientId,
      ttlSec,
      markEmailAsVerified,
    }) =>
      call("create a password change ticket", async () => {
        const r = await mgmt.tickets.changePassword({
          user_id: userId,
          ...(resultUrl
            ? { result_url: resultUrl }
            : clientId
              ? { client_id: clientId }
              : {}),
          ttl_sec: ttlSec,
          mark_email_as_verified: markEmailAsVerified,
          includeEmailInRedirect: false,
        });
        return r.ticket;
      }),

    getUniversalLoginExperience: () =>
      call("read the Universal Login experience", async () => {
        const s = await mgmt.prompts.getSettings();
        return s.universal_login_experience === "classic" ? "classic" : "new";
      }),

    searchPasswordResetsSince: (tenantId, since, page) =>
      call("search users whose password was set", async () => {
        const perPage = 100;
        const result = await mgmt.users.list({
          q: `app_metadata.tenant_id:${quoted(tenantId)} AND last_password_reset:[${since} TO *]`,
          search_engine: "v3",
          page,
          per_page: perPage,
          include_totals: true,
          sort: "last_password_reset:1",
          fields:
            "user_id,email_verified,last_password_reset,last_login,logins_count",
          include_fields: true,
        });
        const total = result.response.total ?? result.data.length;
        const seen = (page + 1) * perPage;
        return {
          users: result.data.map(toPasswordState),
          total,
          hasMore: seen < Math.min(total, 1000),
          capped: total > 1000,
        };
      }),

    getUser: (userId) =>
      orNull("read a user", async () =>
        toAppUser(await mgmt.users.get(userId)),
      ),

    usersByEmail: (email) =>
      call("look up users by email", async () =>
        (await mgmt.users.listUsersByEmail({ email: email.toLowerCase() })).map(
          toAppUser,
        ),
      ),

    searchTenantUsers: (tenantId, page) =>
      call("search the tenant's users", async () => {
        const perPage = 50;
        const result = await mgmt.users.list({
          q: `app_metadata.tenant_id:"${tenantId.replace(/["\\]/g, "")}"`,
          search_engine: "v3",
          page,
          per_page: perPage,
          include_totals: true,
          sort: "updated_at:-1",
        });
        const total = result.response.total ?? result.data.length;
        const seen = (page + 1) * perPage;
        return {
          users: result.data.map(toAppUser),
          total,
          hasMore: seen < Math.min(total, 1000),
        };
      }),

    updateUser: (userId, changes) =>
      call("update a user", async () =>
        toAppUser(
          await mgmt.users.update(userId, {
            ...(changes.blocked === undefined
              ? {}
              : { blocked: changes.blocked }),
          }),
        ),
      ),

    deleteUser: async (userId) => {
      await orNull("delete a user", () => mgmt.users.delete(userId));
    },

    roleIdByName: (name) =>
      call("look up a role", async () => {
        const roles = await mgmt.roles.list({
          name_filter: name,
          per_page: 100,
        });
        return roles.data.find((r) => r.name === name)?.id ?? null;
      }),

    userRoleIds: async (userId) =>
      (await orNull("read a user's roles", async () =>
        (await mgmt.users.roles.list(userId, { per_page: 100 })).data.flatMap(
          (r) => (r.id ? [r.id] : []),
        ),
      )) ?? [],

    assignRoleToUsers: (roleId, userIds) =>
      call("assign a role to users", async () => {
        await mgmt.roles.users.assign(roleId, { users: [...userIds] });
      }),

    addUserRole: (userId, roleId) =>
      call("assign a role to a user", async () => {
        await mgmt.users.roles.assign(userId, { roles: [roleId] });
      }),

    removeUserRole: (userId, roleId) =>
      call("remove a role from a user", async () => {
        await mgmt.users.roles.delete(userId, { roles: [roleId] });
      }),

    roleUserIds: (roleId) =>
      call("list a role's users", async () => {
        const ids: string[] = [];
        // checkpoint paging (Auth0 docs: "View Users Assigned to Roles"); the Page walks every page
        for await (const u of await mgmt.roles.users.list(roleId, {
          take: 100,
        }))
          if (u.user_id) ids.push(u.user_id);
        return ids;
      }),
  };
}
