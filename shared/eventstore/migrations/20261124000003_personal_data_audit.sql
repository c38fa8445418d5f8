-- migrate:up
-- Who read, changed or erased personal data, when and why (UU 27/2022). Holds references
-- and user ids only, never the data itself.
create table personal_data_audit (
    id bigint generated always as identity primary key,
    at timestamptz not null default clock_timestamp(),
    tenant text not null,
    actor text not null,
    action text not null check (action in ('read', 'change', 'erase')),
    subject_ref text not null,
    purpose text not null
);
create index personal_data_audit_by_subject on personal_data_audit (tenant, subject_ref, at);

-- migrate:down
drop table personal_data_audit;
