-- migrate:up
-- How long before a meeting's scheduled start its operator may record the start (issue 12, gap 6).
alter table provisioning_settings add column early_start_minutes integer not null default 15
    check (early_start_minutes between 0 and 10080);

-- migrate:down
alter table provisioning_settings drop column early_start_minutes;
