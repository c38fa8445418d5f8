-- migrate:up
-- The outbox is shared code now (shared.notifications): its row names what it is about neutrally.
alter table notifications rename column request_id to about_id;

-- migrate:down
alter table notifications rename column about_id to request_id;
