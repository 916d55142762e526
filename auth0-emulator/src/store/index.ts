// The store's public surface: the Store, its entity types, and the id/password/user factories.
export { Store, type StoreOptions } from "./store.ts";
export { checkPassword, hashPassword, newUserId, randomAlnum } from "./ids.ts";
export { makeUser } from "./users.ts";
export {
  DEFAULT_APP_LOGIN_URL,
  SEED_FILE,
  SEED_SPA_CLIENT_ID,
  seedState,
  type SeedDefaults,
} from "./seed.ts";
export type { Grant, GrantRef } from "./grants.ts";
export type { TenantSettings } from "./tenant.ts";
export * from "./types.ts";
