/* eslint-disable @typescript-eslint/require-await -- the fake implements an async interface synchronously */
// An in-memory stand-in for the Auth0 adapter, for route tests that do not need the emulator.
// It keeps users in a Map and records calls; behaviour mirrors what auth0.ts promises.
import type {
  AppUser,
  Auth0,
  Auth0Connection,
  Auth0Job,
  Auth0JobError,
  BulkImportUser,
  UniversalLoginExperience,
} from "../auth0/types.ts";
import { AppError } from "../errors.ts";

export interface FakeAuth0 extends Auth0 {
  users: Map<string, AppUser>;
  calls: string[];
  connection: Auth0Connection;
  jobs: Map<
    string,
    { job: Auth0Job; errors: Auth0JobError[]; users: BulkImportUser[] }
  >;
  addUser(user: Partial<AppUser> & { userId: string; email: string }): AppUser;
  /** role id → name, and who holds it (RBAC) */
  roles: Map<string, { name: string; users: Set<string> }>;
  /** what getUniversalLoginExperience answers; an Error is thrown (e.g. missing read:prompts) */
  experience: UniversalLoginExperience | Error;
}

/** The fake's "Customer admin" role (what the emulator's seed and pnpm auth0:setup create). */
export const FAKE_ADMIN_ROLE_ID = "rol_CustomerAdmin01";

export function makeAppUser(
  user: Partial<AppUser> & { userId: string; email: string },
): AppUser {
  return {
    emailVerified: false,
    blocked: false,
    name: null,
    givenName: null,
    familyName: null,
    tenantId: null,
    lastLogin: null,
    lastPasswordReset: null,
    loginsCount: 0,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...user,
  };
}

export function createFakeAuth0(): FakeAuth0 {
  const users = new Map<string, AppUser>();
  const jobs: FakeAuth0["jobs"] = new Map();
  const calls: string[] = [];
  let jobSeq = 0;
  const fake: FakeAuth0 = {
    users,
    calls,
    jobs,
    experience: "new",
    connection: {
      id: "con_GuestlistLocal01",
      name: "Username-Password-Authentication",
      disableSignup: true,
    },
    addUser(user) {
      const u = makeAppUser(user);
      users.set(u.userId, u);
      return u;
    },
    async getConnection() {
      calls.push("getConnection");
      return fake.connection;
    },
    async createUsersImportJob({ users: rows, externalId }) {
      calls.push(`createUsersImportJob:${externalId}`);
      const id = `job_${String(++jobSeq).padStart(16, "0")}`;
      const errors: Auth0JobError[] = [];
      for (const r of rows) {
        const userId = `auth0|${r.user_id}`; // the file carries the id without the strategy prefix
        if (users.has(userId))
          errors.push({
            user: { email: r.email, user_id: r.user_id },
            errors: [
              {
                code: "DUPLICATED_USER",
                message: "The user already exist and upsert parameter is false",
              },
            ],
          });
        else
          fake.addUser({
            userId,
            email: r.email,
            tenantId: r.app_metadata.tenant_id,
            emailVerified: r.email_verified,
          });
      }
      const summary = {
        failed: errors.length,
        updated: 0,
        inserted: rows.length - errors.length,
        total: rows.length,
      };
      jobs.set(id, {
        job: {
          id,
          status: "completed",
          summary,
          percentageDone: 100,
          externalId,
        },
        errors,
        users: rows,
      });
      return { jobId: id };
    },
    async getJob(jobId) {
      calls.push(`getJob:${jobId}`);
      const j = jobs.get(jobId);
      if (!j) throw new AppError("not_found", "No such job");
      return j.job;
    },
    async getJobErrors(jobId) {
      calls.push(`getJobErrors:${jobId}`);
      return jobs.get(jobId)?.errors ?? [];
    },
    async createEmailVerificationTicket({ userId, resultUrl, clientId }) {
      calls.push(`createEmailVerificationTicket:${userId}`);
      if (!users.has(userId))
        throw new AppError("not_found", "The user does not exist.");
      if (resultUrl && clientId)
        throw new AppError(
          "validation",
          "'result_url' cannot be specified when using 'client_id'",
        );
      const where = resultUrl
        ? `&result=${encodeURIComponent(resultUrl)}`
        : clientId
          ? `&client=${encodeURIComponent(clientId)}`
          : "";
      return `https://fake.auth0.test/u/email-verification?ticket=fake${userId.length}${where}#`;
    },
    async createPasswordChangeTicket({ userId, resultUrl, clientId }) {
      calls.push(`createPasswordChangeTicket:${userId}`);
      if (!users.has(userId))
        throw new AppError("not_found", "The user does not exist.");
      const where = resultUrl
        ? `&result=${encodeURIComponent(resultUrl)}`
        : clientId
          ? `&client=${encodeURIComponent(clientId)}`
          : "";
      return `https://fake.auth0.test/lo/reset?ticket=fake${userId.length}${where}#`;
    },
    async getUniversalLoginExperience() {
      calls.push("getUniversalLoginExperience");
      if (fake.experience instanceof Error) throw fake.experience;
      return fake.experience;
    },
    async searchPasswordResetsSince(tenantId, since, page) {
      calls.push(`searchPasswordResetsSince:${tenantId}:${page}`);
      const all = [...users.values()]
        .filter(
          (u) =>
            u.tenantId === tenantId &&
            u.lastPasswordReset !== null &&
            u.lastPasswordReset >= since,
        )
        .sort((a, b) =>
          (a.lastPasswordReset ?? "").localeCompare(b.lastPasswordReset ?? ""),
        );
      const slice = all.slice(page * 100, page * 100 + 100);
      return {
        users: slice.map((u) => ({
          userId: u.userId,
          emailVerified: u.emailVerified,
          lastPasswordReset: u.lastPasswordReset,
          lastLogin: u.lastLogin,
          loginsCount: u.loginsCount,
        })),
        total: all.length,
        hasMore: (page + 1) * 100 < Math.min(all.length, 1000),
        capped: all.length > 1000,
      };
    },
    async getUser(userId) {
      calls.push(`getUser:${userId}`);
      return users.get(userId) ?? null;
    },
    async usersByEmail(email) {
      calls.push(`usersByEmail:${email}`);
      return [...users.values()].filter((u) => u.email === email.toLowerCase());
    },
    async searchTenantUsers(tenantId, page) {
      calls.push(`searchTenantUsers:${tenantId}:${page}`);
      const all = [...users.values()].filter((u) => u.tenantId === tenantId);
      const slice = all.slice(page * 50, page * 50 + 50);
      return {
        users: slice,
        total: all.length,
        hasMore: (page + 1) * 50 < Math.min(all.length, 1000),
      };
    },
    async updateUser(userId, changes) {
      calls.push(`updateUser:${userId}`);
      const u = users.get(userId);
      if (!u) throw new AppError("not_found", "The user does not exist.");
      const next = {
        ...u,
        ...(changes.blocked === undefined ? {} : { blocked: changes.blocked }),
        updatedAt: new Date().toISOString(),
      };
      users.set(userId, next);
      return next;
    },
    async deleteUser(userId) {
      calls.push(`deleteUser:${userId}`);
      users.delete(userId);
      for (const role of fake.roles.values()) role.users.delete(userId);
    },
    roles: new Map([
      [
        FAKE_ADMIN_ROLE_ID,
        { name: "Customer admin", users: new Set<string>() },
      ],
    ]),
    async roleIdByName(name) {
      calls.push(`roleIdByName:${name}`);
      return [...fake.roles].find(([, r]) => r.name === name)?.[0] ?? null;
    },
    async userRoleIds(userId) {
      calls.push(`userRoleIds:${userId}`);
      return [...fake.roles]
        .filter(([, r]) => r.users.has(userId))
        .map(([id]) => id);
    },
    async roleUserIds(roleId) {
      calls.push(`roleUserIds:${roleId}`);
      return [...(fake.roles.get(roleId)?.users ?? [])];
    },
    async assignRoleToUsers(roleId, userIds) {
      calls.push(`assignRoleToUsers:${roleId}:${userIds.length}`);
      const role = fake.roles.get(roleId);
      if (!role || userIds.some((u) => !users.has(u)))
        throw new AppError(
          "not_found",
          "One or more of the users do not exist.",
        );
      for (const u of userIds) role.users.add(u);
    },
    async addUserRole(userId, roleId) {
      calls.push(`addUserRole:${userId}:${roleId}`);
      const role = fake.roles.get(roleId);
      if (!role || !users.has(userId))
        throw new AppError("not_found", "The user does not exist.");
      role.users.add(userId);
    },
    async removeUserRole(userId, roleId) {
      calls.push(`removeUserRole:${userId}:${roleId}`);
      if (!users.has(userId))
        throw new AppError("not_found", "The user does not exist.");
      fake.roles.get(roleId)?.users.delete(userId);
    },
  };
  return fake;
}
