-- migrate:up
-- The inbox knows the role and the official a case waits for, its stream version (what the
-- official saw) and the request's document references; 'returned' cases wait for the requester.
alter table cases
    add column role text not null default '',
    add column addressee text,
    add column version integer not null default 0,
    add column tracking_code text,
    add column document_refs jsonb not null default '{}'::jsonb;
create index cases_by_role on cases (tenant, status, role, due_at);

-- Pelaksana tugas (Plt.): who acts for whom, when (read model of official.acting_appointed).
create table acting_appointments (
    tenant text not null,
    official text not null,
    acting text not null,
    role text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    appointed_by text not null,
    primary key (tenant, official, acting, starts_at)
);
create index acting_now on acting_appointments (tenant, acting, starts_at, ends_at);

-- migrate:down
drop table acting_appointments;
drop index cases_by_role;
alter table cases drop column role, drop column addressee, drop column version,
    drop column tracking_code, drop column document_refs;
