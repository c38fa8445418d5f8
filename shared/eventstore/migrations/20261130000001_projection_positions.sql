-- migrate:up
-- A projection's checkpoint per source: the highest outbox position applied from each
-- (`Vidcon-Position`), which survives the stream being rebuilt from the outboxes. Events
-- without that header count under the pseudo-source "stream" by their stream sequence,
-- which is what the old `checkpoint` column held.
alter table projections add column positions jsonb not null default '{}';
update projections set positions = jsonb_build_object('stream', checkpoint) where checkpoint > 0;

-- migrate:down
alter table projections drop column positions;
