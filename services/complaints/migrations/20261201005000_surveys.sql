-- migrate:up
-- One survey per held meeting: the one-time link's token finds it; the suggestion (free text,
-- maybe personal) stays here, erasable, never in an event.
create table surveys (
    survey_id uuid primary key,
    tenant text not null,
    request_id text not null,
    token text not null unique,
    invited_at timestamptz not null,
    answered_at timestamptz,
    suggestion text,
    unique (tenant, request_id)
);

-- migrate:down
drop table surveys;
