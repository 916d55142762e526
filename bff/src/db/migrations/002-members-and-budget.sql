-- The members mirror, the shared Auth0 rate budget and paging indexes. See docs/decisions/003-member-state.md.

-- A mirror of the tenant's users in Auth0 (app_metadata.tenant_id), refreshed in the background
-- within the rate budget and by our own writes. Page views read only this table and invitations.
create table members (
  user_id text primary key,
  tenant_id text not null references tenants(id),
  email text not null,
  name text,
  email_verified boolean not null default false,
  blocked boolean not null default false,
  last_login timestamptz,
  auth0_created_at timestamptz,
  auth0_updated_at timestamptz,
  removed_at timestamptz,                                -- deleted in Auth0 (seen missing, or removed by us)
  synced_at timestamptz not null default now()
);
create index members_tenant_email on members (tenant_id, email, user_id);

-- Keyset paging of the members list: (tenant, email, user_id) on both sides of the union.
create index invitations_tenant_email on invitations (tenant_id, email, user_id);
-- Seat counting of accepted invitations.
create index invitations_tenant_accepted on invitations (tenant_id) where state = 'accepted';

-- One row per tenant: when its mirror was last refreshed and who holds the refresh lease.
create table member_sync (
  tenant_id text primary key references tenants(id),
  synced_at timestamptz,
  lease_until timestamptz,
  last_error text
);

-- The Management API token bucket, shared by every BFF instance (one row per budget).
create table rate_budget (
  id text primary key,
  tokens double precision not null,
  updated_at timestamptz not null default clock_timestamp(),
  rate double precision,                                 -- learned refill rate (AIMD) ≤ the plan; null = plan
  cap double precision,                                  -- learned bucket size (X-RateLimit-Limit) ≤ the plan; null = plan
  blocked_until timestamptz                              -- after a 429: nobody calls before X-RateLimit-Reset
);

-- Audit paging by tenant already has (tenant_id, id desc); support views span tenants.
create index audit_log_id on audit_log (id desc);
