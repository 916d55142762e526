-- Fair share of the Auth0 Management API budget and request limits shared by every instance.
-- See docs/decisions/009-fair-share-of-the-auth0-budget.md and src/auth0/rate-budget.ts.

-- Start-time fair queueing between lanes: the budget's virtual clock (the start tag of the
-- latest grant) ...
alter table rate_budget add column if not exists vclock double precision not null default 0;

-- ... and per lane ("invitee", "tenant:<id>", "system") its virtual finish tag and whether a
-- caller in it is waiting for a token right now (a poller renews waiting_until while it waits).
create table rate_budget_lanes (
  budget_id text not null,
  lane text not null,
  finish double precision not null default 0,
  waiting_until timestamptz,
  primary key (budget_id, lane)
);

-- Fixed-window request counters (per user for /api mutations, per IP for the invitee's pages),
-- one row per key, so that a limit holds across all instances (src/request-limits.ts).
create table request_limits (
  key text primary key,
  hits integer not null,
  resets_at timestamptz not null
);
create index request_limits_resets_at on request_limits (resets_at);
