-- migrate:up
-- The complainant may stay anonymous and gives an email, a WhatsApp number, both or neither.
alter table complainants add column email text, add column whatsapp text;
alter table complainants alter column name drop not null, alter column contact drop not null;

-- The officer's and the team's inbox, and the tracking page: kept with each change of a
-- complaint, in the same transaction as its events.
create table complaint_inbox (
    complaint_id uuid primary key,
    tenant text not null,
    tracking_code text not null,
    category text not null,
    kind text,
    channel text not null,
    status text not null,
    received_at timestamptz not null,
    due_at timestamptz,
    assignee text,
    assigned boolean not null default false,
    request_id text,
    complainant_ref uuid not null,
    anonymous boolean not null default false,
    answered_at timestamptz,
    closed_at timestamptz,
    met_standard boolean,
    unique (tenant, tracking_code)
);
create index complaint_inbox_open on complaint_inbox (tenant, due_at) where status <> 'closed';

-- What was written to or by the complainant: answers and reasons for reopening (erasable).
create table complaint_texts (
    text_ref uuid primary key,
    complaint_id uuid not null,
    tenant text not null,
    purpose text not null check (purpose in ('answer', 'reopen')),
    body text not null,
    written_at timestamptz not null
);
create index complaint_texts_of on complaint_texts (complaint_id, written_at);

-- A photo or PDF the complainant attached, checked by its content (erasable with them).
create table complaint_attachments (
    complaint_id uuid primary key,
    tenant text not null,
    filename text not null,
    media_type text not null,
    sha256 text not null,
    content bytea,
    erased_at timestamptz
);

-- A request's tracking code, so a complaint can name the request it is about.
create table request_codes (
    tenant text not null,
    tracking_code text not null,
    request_id text not null,
    primary key (tenant, tracking_code)
);

-- migrate:down
drop table request_codes;
drop table complaint_attachments;
drop table complaint_texts;
drop table complaint_inbox;
alter table complainants drop column whatsapp, drop column email;
