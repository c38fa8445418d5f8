-- migrate:up
-- Outbox of messages (shared.notifications): queued with the change they tell of, sent and
-- retried by a background loop that reads the address from the service's contact store.
-- `if not exists`: intake made its own before the outbox was shared (now the same table).
create table if not exists notifications (
    id bigint generated always as identity primary key,
    tenant text not null,
    about_id uuid not null,
    cause_id uuid not null,
    channel text not null check (channel in ('email', 'whatsapp')),
    contact_ref uuid not null,
    subject text not null,
    body text not null,
    state text not null default 'pending' check (state in ('pending', 'sent', 'failed', 'dropped')),
    attempts int not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    sent_at timestamptz,
    unique (cause_id, channel)
);
create index if not exists notifications_due on notifications (next_attempt_at) where state = 'pending';

-- migrate:down
drop table notifications;
