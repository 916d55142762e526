-- Acceptance comes from Auth0's record (docs/decisions/007-…): the invitation remembers when its
-- latest password-change ticket was issued and until when it works. An invitation is accepted when
-- Auth0 says the password was set at or after ticket_issued_at (minus a small clock skew), or that
-- the person signed in. The sweep only searches for tickets that could still have been used.
alter table invitations add column ticket_issued_at timestamptz;
alter table invitations add column ticket_expires_at timestamptz;
create index invitations_open_tickets on invitations (tenant_id, ticket_expires_at)
  where state in ('created', 'emailed', 'verified') and ticket_expires_at is not null;
-- One row per tenant: when Auth0's record was last compared with its open invitations (throttle)
-- and who is doing it now (lease, so several BFF instances do not search twice).
create table invitation_reconcile (
  tenant_id text primary key references tenants(id),
  last_run_at timestamptz,
  lease_until timestamptz,
  last_error text
);
-- The row's line number in the admin's file (what the preview showed), so the import's progress
-- and error report number rows as the file does; null for one-person invitations.
alter table invitations add column source_row integer;
