-- migrate:up
-- Every version of a tenant's profile approval has seen (a hash of its content), kept so that a
-- case is always rebuilt against the profile it was opened with, however the YAML changes later.
create table profile_versions (
    tenant text not null,
    version text not null,
    body jsonb not null,
    first_seen timestamptz not null default now(),
    primary key (tenant, version)
);
-- null: opened before versions were kept; the service pins such cases to the version it starts with.
alter table cases add column profile_version text;

-- migrate:down
alter table cases drop column profile_version;
drop table profile_versions;
