-- Members search at 100,000 people per tenant (features/members/repository.ts, docs/benchmarks.md).
-- The search text of a person is stored once, lower-cased, instead of being recomputed from the
-- email and names for every trigram match that is rechecked. Same text as migration 007's index
-- expressions; the trigram indexes move onto the columns (same names).
-- https://www.postgresql.org/docs/current/ddl-generated-columns.html
alter table invitations add column search text not null
  generated always as (lower(email || ' ' || coalesce(given_name, '') || ' ' || coalesce(family_name, ''))) stored;
alter table members add column search text not null
  generated always as (lower(email || ' ' || coalesce(name, ''))) stored;

drop index invitations_search;
drop index members_search;
create index invitations_search on invitations using gin (search gin_trgm_ops) with (gin_pending_list_limit = 64);
create index members_search on members using gin (search gin_trgm_ops) with (gin_pending_list_limit = 64);
