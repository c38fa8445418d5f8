-- migrate:up
-- Personal data of contact persons lives here, never in events (UU 27/2022): erasable.
create table contacts (
    contact_ref uuid primary key,
    tenant text not null,
    name text not null,
    whatsapp text not null,
    email text not null,
    erased_at timestamptz
);

-- What the requester sees when tracking a request (a read model, rebuilt from events).
create table request_status (
    request_id uuid primary key,
    tenant text not null,
    tracking_code text not null unique,
    event_name text not null,
    agency text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    status text not null,
    join_url text,
    passcode text,
    updated_at timestamptz not null
);

create table request_timeline (
    position bigint generated always as identity primary key,
    event_id uuid not null unique,
    request_id uuid not null references request_status (request_id),
    status text not null,
    note text not null default '',
    at timestamptz not null
);
create index request_timeline_by_request on request_timeline (request_id, position);

-- migrate:down
drop table request_timeline;
drop table request_status;
drop table contacts;
