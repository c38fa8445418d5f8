-- migrate:up
-- Outside calls (Zoom, Jitsi) to make, one row each, written in the transaction of the decision
-- that needs them; a worker makes them outside any transaction and records the result in a new
-- one. Only a request's oldest pending call may run (its calls stay in order); a worker holds a
-- call by a lease (`lease`, `leased_until`) and records its result only while it still holds it.
create table provider_calls (
    call_id bigserial primary key,
    tenant text not null,
    request_id uuid not null,
    kind text not null check (kind in ('ensure', 'update', 'delete', 'delete_recordings', 'live_stream',
                                       'alternative_hosts')),
    account_id text,
    excluded text[] not null default '{}',
    -- The meeting's stream version when the call was asked: the facts its result records carry
    -- that event's correlation and causation (or `correlation_id` when the asker gave one).
    asked_after int not null default 0,
    correlation_id text,
    state text not null default 'pending' check (state in ('pending', 'done')),
    outcome text,
    result jsonb,
    attempts int not null default 0,
    due_at timestamptz not null default now(),
    lease uuid,
    leased_until timestamptz,
    claimed_by text,
    last_error text,
    created_at timestamptz not null default now(),
    done_at timestamptz
);
create index provider_calls_pending on provider_calls (request_id, call_id) where state = 'pending';
create index provider_calls_of_request on provider_calls (request_id, kind);

-- migrate:down
drop table provider_calls;
