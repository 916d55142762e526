// A repository over one id-keyed map of the state (jobs, tickets): writes persist on their own.
import type { StateHolder } from "./holder.ts";
import type { EmuState } from "./types.ts";

export class Records<T extends { id: string }> {
  readonly #db: StateHolder;
  readonly #map: (state: EmuState) => Record<string, T>;

  constructor(db: StateHolder, map: (state: EmuState) => Record<string, T>) {
    this.#db = db;
    this.#map = map;
  }

  get(id: string): T | undefined {
    return this.#map(this.#db.state)[id];
  }

  list(): T[] {
    return Object.values(this.#map(this.#db.state));
  }

  /** Creates or replaces the entity (by id). */
  save(item: T): T {
    this.#map(this.#db.state)[item.id] = item;
    this.#db.changed();
    return item;
  }

  /** Applies `change` to the stored entity and persists; undefined for an unknown id. */
  update(id: string, change: (item: T) => void): T | undefined {
    const item = this.get(id);
    if (item === undefined) return undefined;
    change(item);
    this.#db.changed();
    return item;
  }
}
