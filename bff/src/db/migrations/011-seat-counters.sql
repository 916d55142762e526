-- Exact seat counters per tenant, kept by triggers (src/seats/repository.ts reads them): the seat
-- meter sums a handful of rows instead of counting the tenant's invitations and members.
--
-- What a person counts for is a function of their two rows (the rules of docs/architecture.md,
-- "Seats used"; user_id is unique in both tables):
--   open invitation (queued … verified)     → pending in the invitation's tenant, until expires_at
--   member not blocked/removed whose invitation, if any, is accepted → used in the member's tenant
--   accepted invitation without a member row → used in the invitation's tenant
--   anything else                           → nothing
--
-- seat_holders keeps, per person, what they are counted for now; seat_counts holds signed deltas
-- (append-only, so concurrent writers never wait on a shared counter row; src/seats/repository.ts
-- compacts them). Pending seats expire by the clock, so pending deltas are kept per expires_at and
-- the meter sums the buckets still in the future ('infinity' = never expires, and all used seats).
--
-- Concurrency: a person's member row and invitation can change in two transactions at once. Each
-- trigger locks the person's seat_holders row (FOR UPDATE: a row lock, no lock-table slot, so a
-- 100,000-row import is fine) and only then reads both rows with a fresh snapshot (a VOLATILE
-- function takes one per statement in READ COMMITTED:
-- https://www.postgresql.org/docs/current/xfunc-volatility.html), so the second transaction sees
-- the first one's committed rows and its recorded contribution, and the deltas always add up.

create table seat_holders (
  user_id text primary key,
  tenant_id text,                                        -- null: holds no seat
  pending boolean not null default false,                -- true: an open invitation; false: used
  expires_at timestamptz not null default 'infinity'     -- of a pending seat; 'infinity' otherwise
);

create table seat_counts (
  id bigserial primary key,
  tenant_id text not null,
  expires_at timestamptz not null default 'infinity',
  used integer not null default 0,
  pending integer not null default 0
);
create index seat_counts_tenant on seat_counts (tenant_id, expires_at);

-- What each of `users` counts for now (one row per user).
create function seat_contributions(users text[])
returns table (user_id text, tenant_id text, pending boolean, expires_at timestamptz)
language sql stable as $$
  select u.user_id,
    case
      when i.state in ('queued','importing','created','emailed','verified') then i.tenant_id
      when m.user_id is not null then
        case when not m.blocked and m.removed_at is null and (i.user_id is null or i.state = 'accepted')
          then m.tenant_id end
      when i.state = 'accepted' then i.tenant_id
    end,
    coalesce(i.state in ('queued','importing','created','emailed','verified'), false),
    case when i.state in ('queued','importing','created','emailed','verified')
      then coalesce(i.expires_at, 'infinity') else 'infinity' end
  from (select distinct unnest(users) as user_id) u
  left join members m on m.user_id = u.user_id
  left join invitations i on i.user_id = u.user_id
$$;

-- Brings the seat_holders rows of `users` up to date and records the difference in seat_counts.
create function seat_holders_refresh(users text[]) returns void language plpgsql volatile as $$
declare
  added text[];
  rest text[];
begin
  if users is null or cardinality(users) = 0 then
    return;
  end if;
  -- People seen for the first time (an import's new invitations): their row is inserted with what
  -- they count for. A concurrent transaction inserting the same person waits for this one (unique
  -- index) and then takes the locked path below.
  with c as (select * from seat_contributions(users) order by user_id),
  ins as (
    insert into seat_holders (user_id, tenant_id, pending, expires_at)
    select c.user_id, c.tenant_id, c.pending, c.expires_at from c
    on conflict (user_id) do nothing
    returning user_id, tenant_id, pending, expires_at),
  counted as (
    insert into seat_counts (tenant_id, expires_at, used, pending)
    select ins.tenant_id, ins.expires_at, count(*) filter (where not ins.pending), count(*) filter (where ins.pending)
    from ins where ins.tenant_id is not null
    group by ins.tenant_id, ins.expires_at)
  select coalesce(array_agg(ins.user_id), '{}') into added from ins;

  select coalesce(array_agg(u), '{}') into rest
    from (select distinct unnest(users) as u) x where u <> all (added);
  if cardinality(rest) = 0 then
    return;
  end if;
  -- Known people: lock their rows (in one order, so two refreshes cannot deadlock each other),
  -- then recompute with a snapshot taken after the lock.
  perform 1 from seat_holders h where h.user_id = any (rest) order by h.user_id for update;
  with o as (
    select h.user_id, h.tenant_id, h.pending, h.expires_at from seat_holders h where h.user_id = any (rest)),
  d as (
    select c.user_id, c.tenant_id, c.pending, c.expires_at,
      o.tenant_id as old_tenant, o.pending as old_pending, o.expires_at as old_expires
    from seat_contributions(rest) c join o on o.user_id = c.user_id
    where (c.tenant_id, c.pending, c.expires_at) is distinct from (o.tenant_id, o.pending, o.expires_at)),
  upd as (
    update seat_holders h set tenant_id = d.tenant_id, pending = d.pending, expires_at = d.expires_at
    from d where h.user_id = d.user_id)
  insert into seat_counts (tenant_id, expires_at, used, pending)
  select x.tenant_id, x.expires_at, sum(x.used), sum(x.pending) from (
    select d.tenant_id, d.expires_at, (not d.pending)::int as used, d.pending::int as pending
      from d where d.tenant_id is not null
    union all
    select d.old_tenant, d.old_expires, -((not d.old_pending)::int), -(d.old_pending::int)
      from d where d.old_tenant is not null) x
  group by x.tenant_id, x.expires_at
  having sum(x.used) <> 0 or sum(x.pending) <> 0;
end $$;

-- Only changes that can change what someone counts for: an invitation's tenant, person, and state
-- class (open with its expiry / accepted / closed); a member's tenant, person and whether they are
-- blocked or removed. The pipeline's other updates (leases, emailed, verified) cost a comparison.
create function seat_holders_invitations() returns trigger language plpgsql as $$
declare
  users text[];
begin
  if tg_op = 'INSERT' then
    select array_agg(n.user_id) into users from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(o.user_id) into users from old_rows o;
  else
    select array_agg(x.user_id) into users from (
      (select o.user_id, o.tenant_id, o.state in ('accepted','failed','revoked'), o.state = 'accepted',
          case when o.state in ('accepted','failed','revoked') then null else o.expires_at end from old_rows o
        except
        select n.user_id, n.tenant_id, n.state in ('accepted','failed','revoked'), n.state = 'accepted',
          case when n.state in ('accepted','failed','revoked') then null else n.expires_at end from new_rows n)
      union all
      (select n.user_id, n.tenant_id, n.state in ('accepted','failed','revoked'), n.state = 'accepted',
          case when n.state in ('accepted','failed','revoked') then null else n.expires_at end from new_rows n
        except
        select o.user_id, o.tenant_id, o.state in ('accepted','failed','revoked'), o.state = 'accepted',
          case when o.state in ('accepted','failed','revoked') then null else o.expires_at end from old_rows o)) x;
  end if;
  perform seat_holders_refresh(users);
  return null;
end $$;

create function seat_holders_members() returns trigger language plpgsql as $$
declare
  users text[];
begin
  if tg_op = 'INSERT' then
    select array_agg(n.user_id) into users from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(o.user_id) into users from old_rows o;
  else
    select array_agg(x.user_id) into users from (
      (select o.user_id, o.tenant_id, o.blocked or o.removed_at is not null from old_rows o
        except
        select n.user_id, n.tenant_id, n.blocked or n.removed_at is not null from new_rows n)
      union all
      (select n.user_id, n.tenant_id, n.blocked or n.removed_at is not null from new_rows n
        except
        select o.user_id, o.tenant_id, o.blocked or o.removed_at is not null from old_rows o)) x;
  end if;
  perform seat_holders_refresh(users);
  return null;
end $$;

-- Everything from scratch: the backfill below, and after a TRUNCATE (no per-row transition tables).
create function seat_counts_rebuild() returns trigger language plpgsql as $$
begin
  perform seat_counts_rebuild_all();
  return null;
end $$;

create function seat_counts_rebuild_all() returns void language plpgsql as $$
begin
  delete from seat_counts;
  delete from seat_holders;
  insert into seat_holders (user_id, tenant_id, pending, expires_at)
  select c.user_id, c.tenant_id, c.pending, c.expires_at
  from seat_contributions(array(select user_id from members union select user_id from invitations)) c;
  insert into seat_counts (tenant_id, expires_at, used, pending)
  select h.tenant_id, h.expires_at, count(*) filter (where not h.pending), count(*) filter (where h.pending)
  from seat_holders h where h.tenant_id is not null
  group by h.tenant_id, h.expires_at;
end $$;

-- Transition tables allow one event per trigger and no column list
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html).
create trigger seat_holders_invitations_insert after insert on invitations
  referencing new table as new_rows for each statement execute function seat_holders_invitations();
create trigger seat_holders_invitations_update after update on invitations
  referencing old table as old_rows new table as new_rows for each statement execute function seat_holders_invitations();
create trigger seat_holders_invitations_delete after delete on invitations
  referencing old table as old_rows for each statement execute function seat_holders_invitations();
create trigger seat_holders_invitations_truncate after truncate on invitations
  for each statement execute function seat_counts_rebuild();
create trigger seat_holders_members_insert after insert on members
  referencing new table as new_rows for each statement execute function seat_holders_members();
create trigger seat_holders_members_update after update on members
  referencing old table as old_rows new table as new_rows for each statement execute function seat_holders_members();
create trigger seat_holders_members_delete after delete on members
  referencing old table as old_rows for each statement execute function seat_holders_members();
create trigger seat_holders_members_truncate after truncate on members
  for each statement execute function seat_counts_rebuild();

-- Backfill. CREATE TRIGGER above locked both tables (SHARE ROW EXCLUSIVE) until this migration
-- commits: no write can slip between the backfill and the triggers.
select seat_counts_rebuild_all();
