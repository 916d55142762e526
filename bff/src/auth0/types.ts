// The Auth0 adapter's interface: our own types only (never Management.*). The real implementation
// is createAuth0() in auth0.ts; tests may pass a fake that satisfies `Auth0`.
import type { Lane } from "./lanes.ts";

/** One user in a bulk-import file (the fields Guestlist sets; see the bulk import JSON schema). */
export interface BulkImportUser {
  /** WITHOUT the strategy prefix: Auth0 stores it as "auth0|" + user_id. */
  user_id: string;
  email: string;
  email_verified: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  app_metadata: { tenant_id: string; [key: string]: unknown };
  user_metadata?: Record<string, unknown>;
}

export interface Auth0Connection {
  id: string;
  name: string;
  /** options.disable_signup; null when Auth0 did not return options (missing read:connections_options) */
  disableSignup: boolean | null;
}

export type Auth0JobStatus =
  "pending" | "processing" | "completed" | "failed" | "expired";

export interface Auth0Job {
  id: string;
  status: Auth0JobStatus;
  summary?: {
    failed: number;
    updated: number;
    inserted: number;
    total: number;
  };
  percentageDone?: number;
  /** Auth0's estimate while the job is processing (GetJobResponseContent.time_left_seconds) */
  timeLeftSeconds?: number;
  externalId?: string;
}

export interface Auth0JobError {
  user: { email: string; user_id?: string };
  errors: { code: string; message: string; path?: string }[];
}

export interface AppUser {
  userId: string;
  email: string;
  emailVerified: boolean;
  blocked: boolean;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  /** app_metadata.tenant_id */
  tenantId: string | null;
  lastLogin: string | null;
  /** when the password was last set or changed (a used password-change ticket sets it) */
  lastPasswordReset: string | null;
  loginsCount: number;
  createdAt: string | null;
  updatedAt: string | null;
}

/** Auth0's Universal Login experience for the tenant (GET /api/v2/prompts). */
export type UniversalLoginExperience = "new" | "classic";

/** What reconciliation needs to know about one user (a search with `fields` limited). */
export interface PasswordState {
  userId: string;
  emailVerified: boolean;
  lastPasswordReset: string | null;
  lastLogin: string | null;
  loginsCount: number;
}

export interface PasswordStatePage {
  users: PasswordState[];
  total: number;
  /** true when another page exists below Auth0's 1,000-result cap */
  hasMore: boolean;
  /** true when more results exist than the 1,000-result cap lets us page through */
  capped: boolean;
}

export interface UserSearchPage {
  users: AppUser[];
  total: number;
  /** true when another page exists below Auth0's 1,000-result cap */
  hasMore: boolean;
}

/** A 401/403 the Management API answered the BFF with: its set-up is wrong (map-error.ts). */
export interface Auth0ConfigurationProblem {
  /** what the BFF was trying to do, e.g. "create a users import job" */
  action: string;
  /** the text to show an operator (names the missing scope when Auth0 did) */
  message: string;
  missingScopes: string[];
  /** ISO time of the last refusal */
  at: string;
}

export interface Auth0 {
  /**
   * The 401/403 refusals this process saw, per action, until a later call of that action got
   * through (shown by /api/health). Optional: test fakes need not track it.
   */
  configurationProblems?(): Auth0ConfigurationProblem[];
  getConnection(): Promise<Auth0Connection>;
  /** Never retried (a retry could create a second job): failures surface as AppError. */
  createUsersImportJob(input: {
    users: BulkImportUser[];
    externalId: string;
  }): Promise<{ jobId: string }>;
  getJob(jobId: string): Promise<Auth0Job>;
  /** [] when Auth0 answers 204 (no errors). */
  getJobErrors(jobId: string): Promise<Auth0JobError[]>;
  /**
   * Returns the ticket URL. Give `resultUrl` (Classic: Auth0 redirects there) or `clientId` (New:
   * Auth0 shows a button to that application's login route), never both.
   */
  createEmailVerificationTicket(input: {
    userId: string;
    resultUrl?: string;
    clientId?: string;
    ttlSec: number;
  }): Promise<string>;
  createPasswordChangeTicket(input: {
    userId: string;
    resultUrl?: string;
    clientId?: string;
    ttlSec: number;
    markEmailAsVerified: boolean;
  }): Promise<string>;
  /** The tenant's Universal Login experience (needs read:prompts). */
  getUniversalLoginExperience(): Promise<UniversalLoginExperience>;
  /**
   * Users of a tenant whose password was set at or after `since`, oldest first, 100 per page
   * (page 0-based, ≤ 9), only the fields reconciliation needs. One Management API call per page.
   */
  searchPasswordResetsSince(
    tenantId: string,
    since: string,
    page: number,
  ): Promise<PasswordStatePage>;
  getUser(userId: string): Promise<AppUser | null>;
  usersByEmail(email: string): Promise<AppUser[]>;
  /** Users with app_metadata.tenant_id = tenantId; page is 0-based, 50 per page, newest updates first. */
  searchTenantUsers(tenantId: string, page: number): Promise<UserSearchPage>;
  updateUser(userId: string, changes: { blocked?: boolean }): Promise<AppUser>;
  /** Resolves also when the user did not exist (already gone). */
  deleteUser(userId: string): Promise<void>;
  /** The id of the role with exactly this name (read:roles), or null. */
  roleIdByName(name: string): Promise<string | null>;
  /** Ids of the roles assigned to the user ([] when the user is gone). */
  userRoleIds(userId: string): Promise<string[]>;
  /** Ids of every user holding the role (all pages). */
  roleUserIds(roleId: string): Promise<string[]>;
  /**
   * POST /api/v2/roles/{id}/users: one call for up to ROLE_USERS_PER_CALL users. Idempotent in
   * Auth0 (a holder stays a holder). A 404 (AppError not_found) means the role or one of the users
   * does not exist; nobody in the call was assigned then.
   */
  assignRoleToUsers(roleId: string, userIds: readonly string[]): Promise<void>;
  /** POST /api/v2/users/{id}/roles with one role. */
  addUserRole(userId: string, roleId: string): Promise<void>;
  /** DELETE /api/v2/users/{id}/roles with one role. */
  removeUserRole(userId: string, roleId: string): Promise<void>;
}

/** The shared Management API budget (see rate-budget.ts), shared fairly between lanes (lanes.ts). */
export interface RateLimiter {
  /**
   * Waits until n tokens are granted to `lane` (default "system"), or throws AppError
   * rate_limited as soon as the wait would exceed maxWaitMs (or on abort).
   */
  acquire(
    n?: number,
    options?: { signal?: AbortSignal; maxWaitMs?: number; lane?: Lane },
  ): Promise<void>;
  /** Takes n tokens for `lane` if its fair share allows it now; otherwise says how long to wait. Never blocks. */
  tryAcquire(
    n?: number,
    lane?: Lane,
  ): Promise<{ granted: true } | { granted: false; retryInMs: number }>;
  /** Feeds X-RateLimit-* response headers back (adapts the budget; a 429 blocks until Reset). */
  observe(status: number, headers: Headers): Promise<void>;
}
