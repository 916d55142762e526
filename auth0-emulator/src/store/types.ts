// The shapes of the emulated tenant's state: one plain, JSON-serialisable object (EmuState), so a
// file-backed store can keep it under .data/ and tests can keep it in memory. Only the store's
// repositories (store/*.ts) read or write it; feature modules use their methods.
/** Sentinel used in seed grants for "this emulator's Management API audience" (`<base>/api/v2/`). */
export const MANAGEMENT_AUDIENCE = "management";

export interface EmuIdentity {
  connection: string;
  user_id: string;
  provider: "auth0";
  isSocial: false;
}

export interface EmuUser {
  user_id: string; // "auth0|<24 hex>"
  email: string; // stored lower-case, as Auth0 does for database users
  email_verified: boolean;
  /** bcrypt hash; null for users created without a password (bulk import without hash). */
  password_hash: string | null;
  given_name?: string;
  family_name?: string;
  name: string;
  nickname: string;
  picture: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  blocked: boolean;
  connection: string; // connection name
  identities: EmuIdentity[];
  created_at: string;
  updated_at: string;
  last_login?: string;
  last_password_reset?: string;
  last_ip?: string;
  logins_count: number;
  /** role ids (RBAC); permissions in access tokens are the union of the roles' permissions. */
  roles: string[];
  /** permissions assigned directly to the user (Auth0 RBAC allows both); added to the roles' ones. */
  permissions?: string[];
}

export interface EmuConnection {
  id: string; // con_<16 alnum>
  name: string;
  strategy: "auth0";
  options: Record<string, unknown> & { disable_signup?: boolean };
  enabled_clients: string[];
}

export interface EmuApi {
  identifier: string;
  name: string;
  enforce_policies: boolean;
  token_dialect: string;
  token_lifetime: number;
  scopes: string[];
  /** set by the Management API (tenant-config/); the seed leaves them out */
  id?: string;
  scope_descriptions?: Record<string, string>;
  allow_offline_access?: boolean;
  skip_consent_for_verifiable_first_party_clients?: boolean;
}

export interface EmuRole {
  id: string;
  name: string;
  permissions: string[];
  description?: string;
}

export interface EmuClient {
  client_id: string;
  name: string;
  app_type: "spa" | "non_interactive" | "regular_web";
  client_secret?: string;
  callbacks?: string[];
  allowed_logout_urls?: string[];
  web_origins?: string[];
  grant_types: string[];
  /** client-credentials grants; audience MANAGEMENT_AUDIENCE means this emulator's /api/v2/. */
  grants?: { audience: string; scope: string[]; id?: string }[];
  /** other client settings written through the Management API (refresh_token, …), kept as sent */
  settings?: Record<string, unknown>;
}

export interface EmuJob {
  id: string; // job_<16 alnum>
  type: "users_import" | "verification_email";
  status: "pending" | "processing" | "completed" | "failed" | "expired";
  connection_id?: string;
  connection?: string;
  external_id?: string;
  created_at: string;
  upsert?: boolean;
  send_completion_email?: boolean;
  /** the parsed users file, kept until the job is processed */
  users?: unknown[];
  processed?: number;
  summary?: {
    failed: number;
    updated: number;
    inserted: number;
    total: number;
  };
  errors?: {
    user: Record<string, unknown>;
    errors: { code: string; message: string; path?: string }[];
  }[];
  status_details?: string;
  /** epoch ms when the import worker started processing (progress = elapsed × users per second) */
  started_ms?: number;
}

export interface EmuTicket {
  id: string; // 32 alnum, the `ticket` query parameter
  kind: "email-verification" | "password-change";
  user_id: string;
  result_url?: string;
  client_id?: string;
  mark_email_as_verified?: boolean;
  includeEmailInRedirect?: boolean;
  /** New UL: set when the page was opened (the "challenge"); the password-reset-post-challenge
   *  Actions then ran with the ticket URL's custom query parameters and may have set a result URL */
  challenged?: boolean;
  action_result_url?: string;
  expires_at: number; // epoch ms
  used_at?: number;
}

/** An Action (tenant-config/actions.ts); `deployed` is the code that runs at login. */
export interface EmuAction {
  id: string;
  name: string;
  supported_triggers: { id: string; version?: string }[];
  code: string;
  runtime: string;
  dependencies: { name: string; version?: string }[];
  /** secret values are needed to run the code; responses show names only */
  secrets: { name: string; value: string; updated_at: string }[];
  created_at: string;
  updated_at: string;
  deployed?: {
    id: string;
    number: number;
    code: string;
    runtime: string;
    secrets: Record<string, string>;
    created_at: string;
  };
}

export interface EmuBinding {
  id: string;
  action_id: string;
  display_name: string;
  created_at: string;
}

/** `GET/PATCH /api/v2/prompts` (GetSettingsResponseContent); decides what ticket pages do afterwards. */
export interface EmuPrompts {
  universal_login_experience: UlExperience;
  identifier_first?: boolean;
  webauthn_platform_first_factor?: boolean;
}

export type UlExperience = "new" | "classic";

export interface EmuState {
  tenantClaim: string;
  /** absent in state files written before prompts existed: the store's seed default applies */
  prompts?: EmuPrompts;
  /** the subset of `GET/PATCH /api/v2/tenants/settings` the emulator models */
  tenant_settings?: { default_redirection_uri?: string };
  connections: EmuConnection[];
  apis: EmuApi[];
  roles: EmuRole[];
  clients: EmuClient[];
  users: Record<string, EmuUser>;
  jobs: Record<string, EmuJob>;
  tickets: Record<string, EmuTicket>;
  /** Actions and trigger bindings; absent (the seed) = the repository's post-login Action is bound */
  actions?: EmuAction[];
  bindings?: Record<string, EmuBinding[]>;
}
