-- An import inserts its invitations 2,000 rows a statement in the POST's one transaction
-- (pipeline/enqueue.ts). Measured with EXPLAIN ANALYZE on PGlite (docs/benchmarks.md, issue 14,
-- "the import's POST"), the three foreign keys of invitations cost about half of each such
-- statement: a foreign key is checked row by row (one look-up and one KEY SHARE lock per row and
-- key, https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK), 6,000
-- checks for 2,000 rows that all name the same tenant, import and a handful of batches.
--
-- The same rules, checked per statement: after an INSERT, one look-up of the distinct keys of the
-- new rows (KEY SHARE-locked as a foreign key would, so they cannot be deleted or re-keyed before
-- this transaction ends); a changed key (batch_id when rows move to a follow-up batch) is checked
-- row by row, as before; and a tenant, import or batch cannot be deleted, or its id changed,
-- while an invitation names it. Violations raise SQLSTATE 23503 (foreign_key_violation), as before.

alter table invitations
  drop constraint invitations_tenant_id_fkey,
  drop constraint invitations_import_id_fkey,
  drop constraint invitations_batch_id_fkey;

create function invitations_references_exist(rows_tenants text[], rows_imports uuid[], rows_batches uuid[])
returns void language plpgsql volatile as $$
declare
  missing text;
begin
  perform 1 from tenants t where t.id = any (rows_tenants) for key share;
  perform 1 from imports i where i.id = any (rows_imports) for key share;
  perform 1 from import_batches b where b.id = any (rows_batches) for key share;
  select coalesce(
      (select 'tenant ' || x from unnest(rows_tenants) x
        where x is not null and not exists (select 1 from tenants t where t.id = x) limit 1),
      (select 'import ' || x from unnest(rows_imports) x
        where x is not null and not exists (select 1 from imports i where i.id = x) limit 1),
      (select 'import batch ' || x from unnest(rows_batches) x
        where x is not null and not exists (select 1 from import_batches b where b.id = x) limit 1))
    into missing;
  if missing is not null then
    raise exception 'insert or update on table "invitations" names a missing %', missing
      using errcode = 'foreign_key_violation';
  end if;
end $$;

create function invitations_references_insert() returns trigger language plpgsql as $$
begin
  perform invitations_references_exist(
    array(select distinct n.tenant_id from new_rows n),
    array(select distinct n.import_id from new_rows n where n.import_id is not null),
    array(select distinct n.batch_id from new_rows n where n.batch_id is not null));
  return null;
end $$;
create trigger invitations_references_insert after insert on invitations
  referencing new table as new_rows for each statement execute function invitations_references_insert();

create function invitations_references_update() returns trigger language plpgsql as $$
begin
  perform invitations_references_exist(
    array[new.tenant_id],
    array_remove(array[new.import_id], null),
    array_remove(array[new.batch_id], null));
  return null;
end $$;
create trigger invitations_references_update after update of tenant_id, import_id, batch_id on invitations
  for each row when (old.tenant_id is distinct from new.tenant_id or old.import_id is distinct from new.import_id
                     or old.batch_id is distinct from new.batch_id)
  execute function invitations_references_update();

-- The referenced side: no delete or new id while an invitation names the row (each column has an
-- index that starts with it: invitations_tenant_state_email, invitations_import, invitations_batch).
create function invitations_referenced() returns trigger language plpgsql as $$
declare
  named boolean;
begin
  if tg_op = 'UPDATE' and new.id = old.id then
    return null;
  end if;
  if tg_table_name = 'tenants' then
    named := exists (select 1 from invitations i where i.tenant_id = old.id);
  elsif tg_table_name = 'imports' then
    named := exists (select 1 from invitations i where i.import_id = old.id);
  else
    named := exists (select 1 from invitations i where i.batch_id = old.id);
  end if;
  if named then
    raise exception 'update or delete on table "%" leaves invitations naming %', tg_table_name, old.id
      using errcode = 'foreign_key_violation';
  end if;
  return null;
end $$;
create trigger invitations_referenced after delete or update of id on tenants
  for each row execute function invitations_referenced();
create trigger invitations_referenced after delete or update of id on imports
  for each row execute function invitations_referenced();
create trigger invitations_referenced after delete or update of id on import_batches
  for each row execute function invitations_referenced();

-- (tenant_id, state) is the prefix of invitations_tenant_state_email (migration 007): every query
-- it served is served by the longer index, and each import row no longer updates both.
drop index invitations_tenant_state;
