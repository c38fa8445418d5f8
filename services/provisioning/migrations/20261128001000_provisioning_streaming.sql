-- migrate:up
-- Live streaming per tenant (the department's RTMP ingest, its key, the public watch page),
-- and the Zoom sign-in of each operator, who becomes an alternative host of the meetings on duty.
-- The stream key is a secret: the API stores it and never shows it.
alter table provisioning_settings add column stream_url text;
alter table provisioning_settings add column stream_key text;
alter table provisioning_settings add column stream_page_url text;
alter table provisioning_settings add constraint stream_complete
    check (stream_url is null or (stream_key is not null and stream_page_url is not null));

alter table operators add column zoom_email text;

-- migrate:down
alter table operators drop column zoom_email;
alter table provisioning_settings drop constraint stream_complete;
alter table provisioning_settings drop column stream_page_url;
alter table provisioning_settings drop column stream_key;
alter table provisioning_settings drop column stream_url;
