// Tenant-wide settings: the custom-claim namespace, prompts (`GET/PATCH /api/v2/prompts`: the
// Universal Login experience) and the modelled subset of `/api/v2/tenants/settings`.
import type { StateHolder } from "./holder.ts";
import type { EmuPrompts, EmuState, UlExperience } from "./types.ts";

export type TenantSettings = NonNullable<EmuState["tenant_settings"]>;

export class Tenant {
  readonly #db: StateHolder;
  readonly #defaultExperience: UlExperience;

  constructor(db: StateHolder, defaultExperience: UlExperience) {
    this.#db = db;
    this.#defaultExperience = defaultExperience;
  }

  /** The namespace of the tenant custom claim (seed `tenantClaim`). */
  get claim(): string {
    return this.#db.state.tenantClaim;
  }

  setClaim(claim: string): void {
    this.#db.state.tenantClaim = claim;
    this.#db.changed();
  }

  /** The prompt settings; the seed default when never set (state files older than prompts). */
  get prompts(): Readonly<EmuPrompts> {
    return (
      this.#db.state.prompts ?? {
        universal_login_experience: this.#defaultExperience,
      }
    );
  }

  get ulExperience(): UlExperience {
    return this.prompts.universal_login_experience;
  }

  updatePrompts(change: (prompts: EmuPrompts) => void): EmuPrompts {
    const prompts = (this.#db.state.prompts ??= { ...this.prompts });
    change(prompts);
    this.#db.changed();
    return prompts;
  }

  get settings(): Readonly<TenantSettings> {
    return this.#db.state.tenant_settings ?? {};
  }

  updateSettings(change: (settings: TenantSettings) => void): TenantSettings {
    const settings = (this.#db.state.tenant_settings ??= {});
    change(settings);
    this.#db.changed();
    return settings;
  }
}
