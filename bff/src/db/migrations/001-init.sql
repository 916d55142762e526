-- Core tables. Emails are stored normalised (trimmed, lower-case).

create table tenants (
  id text primary key,                                   -- 'acme': the tenant claim value
  name text not null,
  seat_limit integer not null check (seat_limit >= 0),
  allowed_domains text[] not null default '{}',          -- empty = any domain
  invitation_lifetime_days integer not null default 7 check (invitation_lifetime_days between 1 and 90),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One import = one "Send N invitations" click. The idempotency key makes a retried POST return it.
create table imports (
  id uuid primary key,
  tenant_id text not null references tenants(id),
  idempotency_key text not null,
  created_by text not null,                              -- token sub
  created_by_email text,
  row_count integer not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, idempotency_key)
);

-- One row per invitee. States: queued → importing → created → emailed → verified → accepted,
-- side exits failed (failure_code/failure_reason) and revoked; "expired" is derived from expires_at.
create table invitations (
  id uuid primary key,
  tenant_id text not null references tenants(id),
  import_id uuid references imports(id),
  row_number integer,                                    -- 1-based position in its import
  email text not null,
  given_name text,
  family_name text,
  role text,
  locale text,
  user_id text not null,                                 -- auth0|<24 hex>, chosen by us
  state text not null check (state in ('queued','importing','created','emailed','verified','accepted','failed','revoked')),
  failure_code text,
  failure_reason text,
  waiting_reason text,                                   -- why the pipeline is waiting (rate limit, SMTP down…)
  token_hash text unique,                                -- sha256 of the current invitation token; null = none
  expires_at timestamptz,
  invited_by text not null,
  invited_by_email text,
  job_id text,                                           -- the Auth0 import job the row went in
  emailed_at timestamptz,
  verified_at timestamptz,
  accepted_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index invitations_tenant_state on invitations (tenant_id, state);
create index invitations_import on invitations (import_id, row_number);
create index invitations_email on invitations (email);
create unique index invitations_user on invitations (user_id);
-- At most one open invitation per person and tenant.
create unique index invitations_open_email on invitations (tenant_id, email) where state not in ('failed', 'revoked');

-- Append-only: who did what, when.
create table audit_log (
  id bigserial primary key,
  tenant_id text,
  actor text not null,
  actor_email text,
  action text not null,
  target text,
  details jsonb not null default '{}',
  request_id text,
  created_at timestamptz not null default now()
);
create index audit_log_tenant on audit_log (tenant_id, id desc);
