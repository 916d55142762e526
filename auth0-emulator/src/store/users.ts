// Users: keyed by user_id, with an email index so an import of N users costs N lookups rather
// than N scans. Emails are stored lower-case, as Auth0 does for database users.
import { newUserId } from "./ids.ts";
import type { StateHolder } from "./holder.ts";
import type { EmuState, EmuUser } from "./types.ts";

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

export class Users {
  readonly #db: StateHolder;
  #byEmail: Map<string, string> | undefined;
  #indexedState: EmuState | undefined;

  constructor(db: StateHolder) {
    this.#db = db;
  }

  get(id: string): EmuUser | undefined {
    return this.#db.state.users[id];
  }

  byEmail(email: string): EmuUser | undefined {
    const id = this.#emailIndex().get(email.toLowerCase());
    return id === undefined ? undefined : this.#db.state.users[id];
  }

  list(): EmuUser[] {
    return Object.values(this.#db.state.users);
  }

  /** Creates or replaces the user (by user_id). */
  save(user: EmuUser): void {
    const index = this.#emailIndex();
    const previous = this.#db.state.users[user.user_id];
    if (previous && index.get(previous.email) === previous.user_id)
      index.delete(previous.email);
    this.#db.state.users[user.user_id] = user;
    index.set(user.email, user.user_id);
    this.#db.changed();
  }

  delete(id: string): boolean {
    const previous = this.#db.state.users[id];
    if (!previous) return false;
    if (this.#emailIndex().get(previous.email) === id)
      this.#emailIndex().delete(previous.email);
    delete this.#db.state.users[id];
    this.#db.changed();
    return true;
  }

  /** Rebuilt whenever the state is replaced (reset, load); kept current by save/delete. */
  #emailIndex(): Map<string, string> {
    if (this.#indexedState !== this.#db.state || !this.#byEmail) {
      this.#byEmail = new Map(
        Object.values(this.#db.state.users).map((u) => [u.email, u.user_id]),
      );
      this.#indexedState = this.#db.state;
    }
    return this.#byEmail;
  }
}
