-- migrate:up
-- When approval finished (the first delivery step counts from it), and whether the clock has
-- looked at the request once its start passed (no link in time: meeting.failed, at most once).
alter table requests add column approved_at timestamptz;
alter table requests add column link_checked boolean not null default false;
create index requests_awaiting_link on requests (starts_at) where approved_at is not null and not link_checked;
-- Today's page also lists the day's failed meetings, whose bookings are released.
create index requests_by_start on requests (tenant, starts_at);

-- migrate:down
drop index requests_by_start;
drop index requests_awaiting_link;
alter table requests drop column link_checked;
alter table requests drop column approved_at;
