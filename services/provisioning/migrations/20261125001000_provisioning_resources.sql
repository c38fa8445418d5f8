-- migrate:up
-- Resources of each tenant (host accounts, operators, kits, venues) and their bookings.
-- btree_gist lets one exclusion constraint compare text with = and time ranges with &&.
create schema if not exists extensions;
create extension if not exists btree_gist with schema extensions;

alter table requests add column equipment text[] not null default '{}';
alter table requests add column venue text;

create table provisioning_settings (
    tenant text primary key,
    setup_minutes int not null default 30 check (setup_minutes >= 0),
    overrun_minutes int not null default 30 check (overrun_minutes >= 0),
    recording_retention_days int not null default 30 check (recording_retention_days > 0)
);

create table host_accounts (
    tenant text not null,
    account_id text not null,
    provider text not null check (provider in ('zoom', 'jitsi')),
    host_user text not null,
    license text not null default 'pro' check (license in ('pro', 'business')),
    concurrent_meetings int not null default 1 check (concurrent_meetings between 1 and 2),
    daily_cap int not null default 100 check (daily_cap > 0),
    active boolean not null default true,
    primary key (tenant, account_id)
);

create table operators (
    tenant text not null,
    user_id text not null,
    working_days int[] not null default '{1,2,3,4,5}',
    active boolean not null default true,
    primary key (tenant, user_id)
);

create table operator_leave (
    tenant text not null,
    user_id text not null,
    during daterange not null,
    foreign key (tenant, user_id) references operators on delete cascade,
    exclude using gist (tenant with =, user_id with =, during with &&)
);

create table equipment_kits (
    tenant text not null,
    kit_id text not null,
    name text not null,
    items text[] not null default '{}',
    active boolean not null default true,
    primary key (tenant, kit_id)
);

create table venues (
    tenant text not null,
    venue_id text not null,
    name text not null,
    active boolean not null default true,
    primary key (tenant, venue_id)
);

-- One row per resource held by one meeting. A Business account holds two meetings at once:
-- each of its seats (slot 1, 2) is a resource of its own. The constraint, not Python, is what
-- makes a double booking impossible, even for two approvals committed at the same instant.
create table bookings (
    tenant text not null,
    request_id uuid not null,
    kind text not null check (kind in ('account', 'operator', 'kit', 'venue')),
    resource_id text not null,
    slot int not null default 1,
    during tstzrange not null check (not isempty(during)),
    primary key (tenant, request_id, kind, resource_id),
    exclude using gist (tenant with =, kind with =, resource_id with =, slot with =, during with &&)
);
create index bookings_by_request on bookings (request_id);

-- Creates and updates per host and UTC day (Zoom's daily cap counts in GMT).
create table host_daily_usage (
    tenant text not null,
    account_id text not null,
    day date not null,
    capped boolean not null default false,
    primary key (tenant, account_id, day)
);

-- Webhook deliveries already applied (Zoom retries them).
create table provider_webhooks (
    event_key text primary key,
    received_at timestamptz not null default now()
);

-- migrate:down
drop table provider_webhooks;
drop table host_daily_usage;
drop table bookings;
drop table venues;
drop table equipment_kits;
drop table operator_leave;
drop table operators;
drop table host_accounts;
drop table provisioning_settings;
alter table requests drop column venue;
alter table requests drop column equipment;
