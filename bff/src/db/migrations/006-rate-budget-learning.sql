-- The learned rate and bucket size of the shared Auth0 budget (see src/auth0/rate-budget.ts).
-- 002-members-and-budget.sql creates them too; this covers databases created from its first draft.
alter table rate_budget add column if not exists rate double precision;
alter table rate_budget add column if not exists cap double precision;
