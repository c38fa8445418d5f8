-- migrate:up
-- Complainants' personal data and their words stay here, outside the event history (erasable).
create table complainants (
    complainant_ref uuid primary key,
    tenant text not null,
    name text not null,
    contact text not null,
    summary text not null,
    erased_at timestamptz
);

-- migrate:down
drop table complainants;
