// Trigger bindings (`/actions/triggers/{id}/bindings`). No bindings at all (the seed) means the
// repository's own post-login Action is bound (oidc/post-login.ts), so `all()` may be undefined.
import type { StateHolder } from "./holder.ts";
import type { EmuBinding } from "./types.ts";

export class Bindings {
  readonly #db: StateHolder;

  constructor(db: StateHolder) {
    this.#db = db;
  }

  all(): Readonly<Record<string, EmuBinding[]>> | undefined {
    return this.#db.state.bindings;
  }

  of(triggerId: string): EmuBinding[] {
    return this.#db.state.bindings?.[triggerId] ?? [];
  }

  /** Replaces the trigger's list, as `PATCH …/bindings` does. */
  set(triggerId: string, bindings: EmuBinding[]): void {
    const db = this.#db;
    const state = db.state;
    state.bindings = { ...state.bindings, [triggerId]: bindings };
    db.changed();
  }
}
