// Client grants live on their client (`EmuClient.grants`, what client_credentials reads); this
// repository gives them the Management API's shape: ids, list, create, update.
import { randomAlnum } from "./ids.ts";
import type { StateHolder } from "./holder.ts";
import type { EmuClient } from "./types.ts";

export type Grant = NonNullable<EmuClient["grants"]>[number];
export interface GrantRef {
  client: EmuClient;
  grant: Grant;
}

export class Grants {
  readonly #db: StateHolder;

  constructor(db: StateHolder) {
    this.#db = db;
  }

  /** Every grant, giving the seed's grants a stable id the first time they are listed. */
  list(): GrantRef[] {
    let assigned = false;
    const refs = this.#db.state.clients.flatMap((client) =>
      (client.grants ?? []).map((grant) => {
        if (!grant.id) {
          grant.id = `cgr_${randomAlnum(16)}`;
          assigned = true;
        }
        return { client, grant };
      }),
    );
    if (assigned) this.#db.changed();
    return refs;
  }

  get(id: string): GrantRef | undefined {
    return this.list().find((r) => r.grant.id === id);
  }

  create(client: EmuClient, fields: Omit<Grant, "id">): GrantRef {
    const grant: Grant = { id: `cgr_${randomAlnum(16)}`, ...fields };
    client.grants = [...(client.grants ?? []), grant];
    this.#db.changed();
    return { client, grant };
  }

  setScope(ref: GrantRef, scope: string[]): GrantRef {
    ref.grant.scope = scope;
    this.#db.changed();
    return ref;
  }
}
