-- The members list at 100,000 people per tenant (features/members/list.ts, docs/benchmarks.md).

-- Search by any part of an email or name: trigram indexes (https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX)
-- serve `like '%…%'` on the same expressions as list.ts. pg_trgm is a trusted extension: the
-- database owner may create it. PGlite loads it in db.ts.
create extension if not exists pg_trgm;
create index invitations_search on invitations
  using gin ((lower(email || ' ' || coalesce(given_name, '') || ' ' || coalesce(family_name, ''))) gin_trgm_ops);
create index members_search on members
  using gin ((lower(email || ' ' || coalesce(name, ''))) gin_trgm_ops);

-- A state filter walks one state's invitations in keyset order.
create index invitations_tenant_state_email on invitations (tenant_id, state, email, user_id);
-- Blocked and removed people are few: found through the mirror, then sorted.
create index members_tenant_blocked on members (tenant_id, email, user_id) where blocked and removed_at is null;
create index members_tenant_removed on members (tenant_id, email, user_id) where removed_at is not null;

-- People in Auth0 without an invitation (the second half of the list) as a flag kept by triggers:
-- a planner cannot estimate `not exists (select … from invitations)` well, and walked the whole
-- mirror to find them. Invitations are inserted before Auth0 knows the user, so the mirror row
-- (inserted later) sees its invitation.
alter table members add column invited boolean not null default false;
update members m set invited = true where exists (select 1 from invitations i where i.user_id = m.user_id);

create function members_set_invited() returns trigger language plpgsql as $$
begin
  new.invited := exists (select 1 from invitations i where i.user_id = new.user_id);
  return new;
end $$;
create trigger members_set_invited before insert or update of user_id on members
  for each row execute function members_set_invited();

create function invitations_mark_members() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    update members m set invited = true from new_rows n where m.user_id = n.user_id and not m.invited;
  else -- DELETE
    update members m set invited = exists (select 1 from invitations i where i.user_id = m.user_id)
      from old_rows o where m.user_id = o.user_id;
  end if;
  return null;
end $$;
create trigger invitations_mark_members_insert after insert on invitations
  referencing new table as new_rows for each statement execute function invitations_mark_members();
create trigger invitations_mark_members_delete after delete on invitations
  referencing old table as old_rows for each statement execute function invitations_mark_members();

create index members_tenant_uninvited on members (tenant_id, email, user_id) where not invited;
