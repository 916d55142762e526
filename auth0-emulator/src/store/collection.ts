// A repository over one array of the state (clients, APIs, roles, connections, actions): lookups
// by key, and writes that persist on their own. Handlers change an entity only through `update`.
import type { StateHolder } from "./holder.ts";
import type { EmuState } from "./types.ts";

export interface CollectionSpec<T> {
  /** the array, or undefined when the state has none yet (reads then see []) */
  read(state: EmuState): T[] | undefined;
  /** the array, created when absent (writes) */
  write(state: EmuState): T[];
  key(item: T): string;
}

export class Collection<T> {
  readonly #db: StateHolder;
  readonly #spec: CollectionSpec<T>;

  constructor(db: StateHolder, spec: CollectionSpec<T>) {
    this.#db = db;
    this.#spec = spec;
  }

  list(): readonly T[] {
    return this.#spec.read(this.#db.state) ?? [];
  }

  get(key: string): T | undefined {
    return this.list().find((item) => this.#spec.key(item) === key);
  }

  find(predicate: (item: T) => boolean): T | undefined {
    return this.list().find(predicate);
  }

  create(item: T): T {
    this.#spec.write(this.#db.state).push(item);
    this.#db.changed();
    return item;
  }

  /** Applies `change` to the stored entity and persists; undefined for an unknown key. */
  update(key: string, change: (item: T) => void): T | undefined {
    const item = this.get(key);
    if (item === undefined) return undefined;
    change(item);
    this.#db.changed();
    return item;
  }

  /** Removes the entity; false for an unknown key. */
  delete(key: string): boolean {
    const items = this.#spec.read(this.#db.state);
    const at = items?.findIndex((item) => this.#spec.key(item) === key) ?? -1;
    if (!items || at < 0) return false;
    items.splice(at, 1);
    this.#db.changed();
    return true;
  }
}
