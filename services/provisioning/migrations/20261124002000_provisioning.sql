-- migrate:up
-- What provisioning knows of each request (from RequestSubmitted), to schedule it once approved.
create table requests (
    request_id uuid primary key,
    tenant text not null,
    event_name text not null,
    agenda text not null default '',
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    online_only boolean not null,
    special_needs text[] not null default '{}'
);

-- migrate:down
drop table requests;
