// What the control API shows of the state: never password hashes or client secrets.
import type { EmuClient, EmuJob, EmuUser, Store } from "../store.ts";

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
  const { state } = store;
  const users = Object.values(state.users).map((u) => publicUser(store, u));
  const jobs = Object.values(state.jobs).map(publicJob);
  const tickets = Object.values(state.tickets);
  return {
    tenantClaim: state.tenantClaim,
    prompts: store.prompts,
    tenant_settings: state.tenant_settings ?? {},
    connections: state.connections,
    apis: state.apis,
    roles: state.roles,
    clients: state.clients.map(publicClient),
    users,
    jobs,
    tickets,
    counts: { users: users.length, jobs: jobs.length, tickets: tickets.length },
  };
}
