-- Roles at invite time (issue 13; docs/architecture.md "Tenancy, people and permissions").
-- invitations.role used to be free text copied into app_metadata.role; it never granted anything.
-- It is kept as legacy_role, and `role` now holds the Guestlist role the invitation grants.
alter table invitations rename column role to legacy_role;
alter table invitations add column role text not null default 'member' check (role in ('member', 'admin'));

-- "Role owed": role_due_at not null = the Auth0 user exists and the role "Customer admin" must still
-- be assigned to it. Set in the same transaction that records the user as created; cleared only after
-- Auth0 confirmed the assignment (which is idempotent), so a crash in between redoes it, never loses it.
-- Claimed like the email outbox: FOR UPDATE SKIP LOCKED and a lease (ADR 006).
alter table invitations add column role_due_at timestamptz;
alter table invitations add column role_lease_owner text;
alter table invitations add column role_lease_until timestamptz;
alter table invitations add column role_attempts integer not null default 0;
alter table invitations add column role_assigned_at timestamptz;
alter table invitations add column last_role_error text;
create index invitations_role_due on invitations (role_due_at) where role_due_at is not null;

-- Guestlist's record of a member's role in Auth0 (null = not known yet: read as "member"). Written by
-- our own role changes and by the role step; Auth0 stays the source of truth (ADR 003).
alter table members add column role text check (role in ('member', 'admin'));
