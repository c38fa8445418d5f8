-- migrate:up
-- The trace context (W3C `traceparent`, `tracestate`) of the transaction that appended the
-- event, if it was traced: the relay publishes it as NATS headers, so that the consumers'
-- spans join the same trace (shared/tracing). Not part of the event: replays do not carry it.
alter table events add column trace_context jsonb;

-- migrate:down
alter table events drop column trace_context;
