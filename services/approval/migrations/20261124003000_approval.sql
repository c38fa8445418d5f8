-- migrate:up
-- Requests waiting for the department's officials (the inbox), opened from RequestSubmitted.
create table cases (
    request_id uuid primary key,
    tenant text not null,
    agency text not null,
    event_name text not null,
    starts_at timestamptz not null,
    submitted_at timestamptz not null,
    step text not null,
    step_started_at timestamptz not null,
    due_at timestamptz not null,
    status text not null default 'open'
);
create index cases_inbox on cases (tenant, status, step, due_at);

-- migrate:down
drop table cases;
