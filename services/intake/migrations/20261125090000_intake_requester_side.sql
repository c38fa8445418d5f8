-- migrate:up
-- Leading official's name and speakers are personal data: kept beside the contact, erasable with it.
create table request_people (
    contact_ref uuid not null references contacts (contact_ref) on delete cascade,
    role text not null check (role in ('leading_official', 'speaker')),
    ordinal int not null,
    name text not null,
    detail text not null default '',
    primary key (contact_ref, role, ordinal)
);

-- Uploaded letters and participant lists: outside event payloads, referenced by document_ref.
-- A document is unattached (request_id null) until a request claims it.
create table documents (
    document_ref uuid primary key,
    tenant text not null,
    kind text not null,
    filename text not null,
    media_type text not null,
    size_bytes int not null,
    sha256 text not null,
    content bytea not null,
    request_id uuid,
    uploaded_at timestamptz not null default now()
);
create index documents_unattached on documents (uploaded_at) where request_id is null;

-- One response per (tenant, Idempotency-Key), written in the transaction that appends the request.
create table idempotency_keys (
    tenant text not null,
    key text not null,
    fingerprint text not null,
    response jsonb,
    created_at timestamptz not null default now(),
    primary key (tenant, key)
);

-- The outbox of messages to the contact person (`notifications`) was created here until it
-- became shared code: shared/notifications/migrations creates it where it is missing.

alter table request_status add column contact_ref uuid;
alter table request_status add column verification_started boolean not null default false;

-- migrate:down
alter table request_status drop column verification_started;
alter table request_status drop column contact_ref;
drop table idempotency_keys;
drop table documents;
drop table request_people;
