-- migrate:up
-- The inbox's high-water marks (issue 11, docs/decisions.md "Relay and consumers"): per
-- consumer and outbox, the highest outbox position (`Vidcon-Position`) the consumer has
-- settled, written in the same transaction as the effect. One row per consumer and outbox,
-- so it stays small however long the stream grows. `processed_events` stays, for what has
-- no position to compare (redriven dead letters, events from before the header) and for what
-- was applied before this table existed; its rows are kept.
create table consumer_positions (
    consumer text not null,
    outbox text not null,
    position bigint not null,
    primary key (consumer, outbox)
);

-- migrate:down
drop table consumer_positions;
