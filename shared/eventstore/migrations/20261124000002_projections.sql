-- migrate:up
-- Which generation of each projection is live, and the stream sequence it has applied.
-- The generation tables themselves (`<name>_g<N>`) are made by shared.projections.
create table projections (
    name text primary key,
    generation integer not null,
    checkpoint bigint not null
);

-- migrate:down
drop table projections;
