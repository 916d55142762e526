-- The invitation pipeline's durable state (docs/decisions: pipeline design). Every unit of work is a
-- row that a worker claims with FOR UPDATE SKIP LOCKED and a lease; a killed process's lease
-- expires and another worker (or the restarted one) takes the work over.

-- One import file = one Auth0 users-imports job (≤ 500 KB). Rows are assigned at import time; the
-- file itself is rebuilt from the invitations table at submission time (revoked rows are left out).
create table import_batches (
  id uuid primary key,
  import_id uuid not null references imports(id),
  tenant_id text not null references tenants(id),
  seq integer not null,
  -- pending: not yet submitted (or safe to resubmit); submitting: intent recorded, the create call
  -- may be in flight; submitted: job id known, polling; done / failed: final.
  state text not null check (state in ('pending', 'submitting', 'submitted', 'done', 'failed')),
  attempts integer not null default 0,
  -- true once a submission's outcome was unknown (crash, timeout, 5xx, failed job): users of this
  -- batch may already exist, so DUPLICATED_USER is checked against our chosen user_id.
  ambiguous boolean not null default false,
  job_id text,
  next_at timestamptz not null default now(),
  poll_delay_ms integer not null default 500,
  lease_owner text,
  lease_until timestamptz,
  intent_at timestamptz,
  waiting_reason text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (import_id, seq)
);
create index import_batches_due on import_batches (next_at) where state in ('pending', 'submitting', 'submitted');
create index import_batches_import on import_batches (import_id);

alter table invitations add column batch_id uuid references import_batches(id);
-- Email outbox on the row itself: mail_due_at not null = an email (with a fresh token) is owed.
alter table invitations add column mail_due_at timestamptz;
alter table invitations add column mail_attempts integer not null default 0;
alter table invitations add column mail_lease_until timestamptz;
alter table invitations add column mail_lease_owner text;
alter table invitations add column last_mail_error text;
create index invitations_batch on invitations (batch_id);
create index invitations_mail_due on invitations (mail_due_at) where mail_due_at is not null;

-- The preview looks up other tenants' people by the email domains of the file.
create index invitations_email_domain on invitations (split_part(email, '@', 2));
create index members_email_domain on members (split_part(email, '@', 2));
