// What the control API shows of the state: never password hashes or client secrets.
import type { EmuClient, EmuJob, EmuUser, Store } from "../store/index.ts";

export type PublicUser = Omit<EmuUser, "password_hash"> & {
  id: string;
  has_password: boolean;
  permissions: string[];
};

export function publicUser(store: Store, user: EmuUser): PublicUser {
  const { password_hash, ...rest } = user;
  return {
    ...rest,
    id: user.user_id,
    has_password: password_hash !== null,
    permissions: store.permissionsOf(user),
  };
}

function publicClient(client: EmuClient): Omit<EmuClient, "client_secret"> {
  const { client_secret: _secret, ...rest } = client;
  return rest;
}

function publicJob(
  job: EmuJob,
): Omit<EmuJob, "users"> & { users_count?: number } {
  const { users, ...rest } = job;
  return users ? { ...rest, users_count: users.length } : rest;
}

export function publicState(store: Store) {
  const users = store.users.list().map((u) => publicUser(store, u));
  const jobs = store.jobs.list().map(publicJob);
  const tickets = store.tickets.list();
  return {
    tenantClaim: store.tenant.claim,
    prompts: store.tenant.prompts,
    tenant_settings: store.tenant.settings,
    connections: store.connections.list(),
    apis: store.apis.list(),
    roles: store.roles.list(),
    clients: store.clients.list().map(publicClient),
    users,
    jobs,
    tickets,
    counts: { users: users.length, jobs: jobs.length, tickets: tickets.length },
  };
}
