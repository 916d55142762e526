// The store: the emulated tenant's state behind one repository per entity. Every write goes
// through a repository method, which persists on its own (persistence.ts); the state object itself
// is private, so feature modules (oidc/, management/, control/, tickets/) never touch it.
import { Bindings } from "./bindings.ts";
import { Collection } from "./collection.ts";
import { Grants } from "./grants.ts";
import type { StateHolder } from "./holder.ts";
import { StateFile } from "./persistence.ts";
import { Records } from "./records.ts";
import { SEED_FILE, seedState, type SeedDefaults } from "./seed.ts";
import { Tenant } from "./tenant.ts";
import type {
  EmuAction,
  EmuApi,
  EmuClient,
  EmuConnection,
  EmuJob,
  EmuRole,
  EmuState,
  EmuTicket,
  EmuUser,
} from "./types.ts";
import { Users } from "./users.ts";

export interface StoreOptions {
  /** Directory for state.json. Absent: memory only (tests). */
  dataDir?: string;
  seedFile?: string;
  bcryptRounds?: number;
  seedDefaults?: SeedDefaults;
}

export class Store {
  #state: EmuState;
  readonly #file: StateFile;
  readonly #seed: () => EmuState;
  readonly #bcryptRounds: number;
  readonly #resetListeners: (() => void)[] = [];

  readonly users: Users;
  readonly clients: Collection<EmuClient>;
  readonly grants: Grants;
  readonly apis: Collection<EmuApi>;
  readonly roles: Collection<EmuRole>;
  readonly connections: Collection<EmuConnection>;
  readonly actions: Collection<EmuAction>;
  readonly bindings: Bindings;
  readonly jobs: Records<EmuJob>;
  readonly tickets: Records<EmuTicket>;
  readonly tenant: Tenant;

  constructor(options: StoreOptions = {}) {
    const seedFile = options.seedFile ?? SEED_FILE;
    const defaults = options.seedDefaults ?? {};
    this.#bcryptRounds = options.bcryptRounds ?? 10;
    this.#seed = () => seedState(seedFile, this.#bcryptRounds, defaults);
    this.#file = new StateFile(options.dataDir);
    const saved = this.#file.load();
    this.#state = saved ? withSeedGrants(saved, this.#seed()) : this.#seed();

    const current = () => this.#state;
    const file = this.#file;
    const db: StateHolder = {
      // a getter, so repositories see the new object after reset()
      get state() {
        return current();
      },
      changed: () => file.schedule(current),
    };

    this.users = new Users(db);
    this.clients = new Collection(db, {
      read: (s) => s.clients,
      write: (s) => s.clients,
      key: (c) => c.client_id,
    });
    this.grants = new Grants(db);
    this.apis = new Collection(db, {
      read: (s) => s.apis,
      write: (s) => s.apis,
      key: (a) => a.identifier,
    });
    this.roles = new Collection(db, {
      read: (s) => s.roles,
      write: (s) => s.roles,
      key: (r) => r.id,
    });
    this.connections = new Collection(db, {
      read: (s) => s.connections,
      write: (s) => s.connections,
      key: (c) => c.id,
    });
    this.actions = new Collection(db, {
      read: (s) => s.actions,
      write: (s) => (s.actions ??= []),
      key: (a) => a.id,
    });
    this.bindings = new Bindings(db);
    this.jobs = new Records(db, (s) => s.jobs);
    this.tickets = new Records(db, (s) => s.tickets);
    this.tenant = new Tenant(db, defaults.ulExperience ?? "new");
  }

  /** Back to the seed; modules holding derived state (rate limiter, faults…) register onReset. */
  reset(): void {
    this.#state = this.#seed();
    for (const listener of this.#resetListeners) listener();
    this.#file.schedule(() => this.#state);
  }

  onReset(listener: () => void): void {
    this.#resetListeners.push(listener);
  }

  /** Writes a file-backed store now (on close). */
  flush(): void {
    this.#file.write(this.#state);
  }

  /** bcrypt cost used for passwords set through the API and ticket pages (low in tests). */
  get passwordRounds(): number {
    return this.#bcryptRounds;
  }

  /** The database connection every user belongs to (the seed has exactly one). */
  get connection(): EmuConnection {
    const c = this.connections.list()[0];
    if (!c) throw new Error("emulator has no database connection");
    return c;
  }

  /** RBAC: the union of the permissions of the user's roles and those assigned directly. */
  permissionsOf(user: EmuUser): string[] {
    const perms = new Set<string>(user.permissions ?? []);
    for (const roleId of user.roles)
      for (const p of this.roles.get(roleId)?.permissions ?? []) perms.add(p);
    return [...perms].sort();
  }
}

/**
 * A state file saved by an older emulator keeps its data, but the seeded clients gain the
 * Management API scopes the seed grants today (e.g. `read:prompts`, `read:roles`), so `npm start`
 * on an old `.data/` does not fail with "insufficient scope" after an upgrade. Scopes are only
 * added, never removed: a test or a developer may have granted more.
 */
function withSeedGrants(saved: EmuState, seed: EmuState): EmuState {
  for (const seeded of seed.clients) {
    const client = saved.clients.find((c) => c.client_id === seeded.client_id);
    for (const grant of seeded.grants ?? []) {
      const own = client?.grants?.find((g) => g.audience === grant.audience);
      if (own) own.scope = [...new Set([...own.scope, ...grant.scope])];
    }
  }
  return saved;
}
