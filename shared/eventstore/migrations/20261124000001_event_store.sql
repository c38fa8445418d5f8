-- migrate:up
-- The write model of one service, in that service's own schema (search_path).
-- `events` is also the transactional outbox: the relay publishes rows in `position` order.
create table events (
    position bigint generated always as identity primary key,
    event_id uuid not null unique,
    stream_id text not null,
    stream_version integer not null check (stream_version > 0),
    tenant text not null,
    type text not null,
    nats_subject text not null,
    envelope jsonb not null,
    recorded_at timestamptz not null default clock_timestamp(),
    unique (stream_id, stream_version)
);

-- How far the outbox relay has published (one row).
create table relay_position (
    relay text primary key,
    position bigint not null
);

-- Inbox: every event a consumer applied, written in the same transaction as its effect.
create table processed_events (
    consumer text not null,
    event_id uuid not null,
    processed_at timestamptz not null default clock_timestamp(),
    primary key (consumer, event_id)
);

-- migrate:down
drop table processed_events;
drop table relay_position;
drop table events;
