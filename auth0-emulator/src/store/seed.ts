// The seed: seed.json plus the values that come from the environment (config.ts). `reset()` and a
// store without a saved state start from here.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword } from "./ids.ts";
import type {
  EmuApi,
  EmuClient,
  EmuConnection,
  EmuRole,
  EmuState,
  EmuUser,
  UlExperience,
} from "./types.ts";
import { makeUser } from "./users.ts";

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
export const SEED_FILE = join(here, "..", "..", "seed.json");

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
  const seed = JSON.parse(readFileSync(seedFile, "utf8")) as Seed;
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
