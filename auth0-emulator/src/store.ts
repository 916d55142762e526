// The emulated tenant's state. One plain, JSON-serialisable object, so that `npm start` can keep it
// in a file under .data/ (a restart keeps what was created) and tests can keep it in memory.
// Every feature module (oidc/, management/, control/) reads and writes through this one store.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import bcrypt from "bcryptjs";

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

interface SeedUser {
  user_id: string;
  email: string;
  given_name?: string;
  family_name?: string;
  password: string;
  email_verified: boolean;
  app_metadata: Record<string, unknown>;
  roles: string[];
}

interface Seed {
  tenantClaim: string;
  connection: EmuConnection;
  apis: EmuApi[];
  roles: EmuRole[];
  clients: EmuClient[];
  users: SeedUser[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const SEED_FILE = join(here, "..", "seed.json");

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** n random characters of [A-Za-z0-9] — the alphabet of Auth0's job, connection and ticket ids. */
export function randomAlnum(n: number): string {
  const bytes = randomBytes(n * 2);
  let out = "";
  for (let i = 0; out.length < n && i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 248) out += ALNUM[b % 62];
  }
  return out.length === n ? out : out + randomAlnum(n - out.length);
}

/** Auth0 database user ids: `auth0|` + 24 hex characters. */
export function newUserId(): string {
  return `auth0|${randomBytes(12).toString("hex")}`;
}

/** bcrypt cost 10, as Auth0's import format expects (`$2b$10$…`). Kept low in tests via env. */
export function hashPassword(password: string, rounds = 10): string {
  return bcrypt.hashSync(password, rounds);
}

export function checkPassword(password: string, hash: string | null): boolean {
  return hash !== null && bcrypt.compareSync(password, hash);
}

export function makeUser(
  fields: Partial<EmuUser> & { email: string; connection: string },
  now = new Date(),
): EmuUser {
  const email = fields.email.toLowerCase();
  const user_id = fields.user_id ?? newUserId();
  const iso = now.toISOString();
  return {
    email_verified: false,
    password_hash: null,
    name: email,
    nickname: email.split("@")[0] ?? email,
    picture: `https://s.gravatar.com/avatar/${Buffer.from(email).toString("hex").slice(0, 32)}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F${email.slice(0, 2)}.png`,
    app_metadata: {},
    user_metadata: {},
    blocked: false,
    created_at: iso,
    updated_at: iso,
    logins_count: 0,
    roles: [],
    ...fields,
    email,
    user_id,
    identities: [
      {
        connection: fields.connection,
        user_id: user_id.replace(/^auth0\|/, ""),
        provider: "auth0",
        isSocial: false,
      },
    ],
  };
}

function readSeed(file: string): Seed {
  return JSON.parse(readFileSync(file, "utf8")) as Seed;
}

/** Seed values that come from the environment (config.ts), not from seed.json. */
export interface SeedDefaults {
  /** EMULATOR_UL_EXPERIENCE; default "new" */
  ulExperience?: UlExperience;
  /** EMULATOR_APP_LOGIN_URL: `initiate_login_uri` of the seeded SPA client `guestlist-spa` */
  appLoginUrl?: string;
}

export const DEFAULT_APP_LOGIN_URL = "http://localhost:3000/login";
export const SEED_SPA_CLIENT_ID = "guestlist-spa";

export function seedState(
  seedFile = SEED_FILE,
  bcryptRounds = 10,
  defaults: SeedDefaults = {},
): EmuState {
  const seed = readSeed(seedFile);
  const users: Record<string, EmuUser> = {};
  for (const u of seed.users) {
    const { password, ...rest } = u;
    users[u.user_id] = makeUser({
      ...rest,
      connection: seed.connection.name,
      password_hash: hashPassword(password, bcryptRounds),
    });
  }
  const clients = structuredClone(seed.clients);
  const spa = clients.find((c) => c.client_id === SEED_SPA_CLIENT_ID);
  if (spa)
    spa.settings = {
      ...spa.settings,
      initiate_login_uri: defaults.appLoginUrl ?? DEFAULT_APP_LOGIN_URL,
    };
  return {
    tenantClaim: seed.tenantClaim,
    prompts: { universal_login_experience: defaults.ulExperience ?? "new" },
    tenant_settings: {},
    connections: [structuredClone(seed.connection)],
    apis: structuredClone(seed.apis),
    roles: structuredClone(seed.roles),
    clients,
    users,
    jobs: {},
    tickets: {},
  };
}

export interface StoreOptions {
  /** Directory for state.json. Absent: memory only (tests). */
  dataDir?: string;
  seedFile?: string;
  bcryptRounds?: number;
  seedDefaults?: SeedDefaults;
}

/**
 * The store. `state` is mutated in place by feature modules; call `changed()` after a mutation so a
 * file-backed store persists it (writes are coalesced and atomic: temp file + rename).
 */
export class Store {
  state: EmuState;
  private readonly file: string | undefined;
  private readonly seedFile: string;
  private readonly bcryptRounds: number;
  private readonly seedDefaults: SeedDefaults;
  private pending: NodeJS.Timeout | undefined;
  private byEmail: Map<string, string> | undefined;
  private indexedState: EmuState | undefined;
  private readonly resetListeners: (() => void)[] = [];

  constructor(options: StoreOptions = {}) {
    this.seedFile = options.seedFile ?? SEED_FILE;
    this.bcryptRounds = options.bcryptRounds ?? 10;
    this.seedDefaults = options.seedDefaults ?? {};
    this.file = options.dataDir
      ? join(options.dataDir, "state.json")
      : undefined;
    this.state = this.load();
  }

  private load(): EmuState {
    if (this.file) {
      try {
        return JSON.parse(readFileSync(this.file, "utf8")) as EmuState;
      } catch {
        // no saved state yet (or unreadable): start from the seed
      }
    }
    return seedState(this.seedFile, this.bcryptRounds, this.seedDefaults);
  }

  /** Back to the seed; modules holding derived state (rate limiter, faults…) register onReset. */
  reset(): void {
    this.state = seedState(this.seedFile, this.bcryptRounds, this.seedDefaults);
    for (const listener of this.resetListeners) listener();
    this.changed();
  }

  /** bcrypt cost used for passwords set through the API and ticket pages (low in tests). */
  get passwordRounds(): number {
    return this.bcryptRounds;
  }

  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  changed(): void {
    if (!this.file || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.flush();
    }, 50);
    this.pending.unref();
  }

  flush(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }

  /** The tenant's prompt settings (Universal Login experience), seed default when never set. */
  get prompts(): EmuPrompts {
    this.state.prompts ??= {
      universal_login_experience: this.seedDefaults.ulExperience ?? "new",
    };
    return this.state.prompts;
  }

  get ulExperience(): UlExperience {
    return this.prompts.universal_login_experience;
  }

  // ---- lookups shared by every module ----
  get connection(): EmuConnection {
    const c = this.state.connections[0];
    if (!c) throw new Error("emulator has no database connection");
    return c;
  }

  userById(id: string): EmuUser | undefined {
    return this.state.users[id];
  }

  userByEmail(email: string): EmuUser | undefined {
    const id = this.emailIndex().get(email.toLowerCase());
    return id === undefined ? undefined : this.state.users[id];
  }

  /**
   * email → user_id, so an import of N users costs N lookups rather than N scans of every user.
   * Rebuilt whenever `state` is replaced (reset, load); kept current by putUser/deleteUser, the
   * only writers of `state.users`.
   */
  private emailIndex(): Map<string, string> {
    if (this.indexedState !== this.state || !this.byEmail) {
      this.byEmail = new Map(
        Object.values(this.state.users).map((u) => [u.email, u.user_id]),
      );
      this.indexedState = this.state;
    }
    return this.byEmail;
  }

  client(clientId: string): EmuClient | undefined {
    return this.state.clients.find((c) => c.client_id === clientId);
  }

  api(identifier: string): EmuApi | undefined {
    return this.state.apis.find((a) => a.identifier === identifier);
  }

  /** RBAC: the union of the permissions of the user's roles and those assigned directly. */
  permissionsOf(user: EmuUser): string[] {
    const perms = new Set<string>(user.permissions ?? []);
    for (const roleId of user.roles) {
      for (const p of this.state.roles.find((r) => r.id === roleId)
        ?.permissions ?? [])
        perms.add(p);
    }
    return [...perms].sort();
  }

  putUser(user: EmuUser): void {
    const index = this.emailIndex();
    const previous = this.state.users[user.user_id];
    if (previous && index.get(previous.email) === previous.user_id)
      index.delete(previous.email);
    this.state.users[user.user_id] = user;
    index.set(user.email, user.user_id);
    this.changed();
  }

  deleteUser(id: string): boolean {
    const existed = id in this.state.users;
    const previous = this.state.users[id];
    if (previous && this.emailIndex().get(previous.email) === id)
      this.emailIndex().delete(previous.email);
    delete this.state.users[id];
    if (existed) this.changed();
    return existed;
  }
}
