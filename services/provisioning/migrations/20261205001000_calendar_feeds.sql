-- migrate:up
-- The requesting agency, for its calendar feed (requests remembered before this have none).
alter table requests add column agency text;

-- One secret feed address per person and scope; renewing replaces the token.
create table calendar_feeds (
    token text primary key,
    tenant text not null,
    user_id text not null,
    scope text not null check (scope in ('agency', 'duties', 'all')),
    agency text,
    created_at timestamptz not null default now(),
    unique (tenant, user_id, scope)
);

-- migrate:down
drop table calendar_feeds;
alter table requests drop column agency;
