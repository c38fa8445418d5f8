-- migrate:up
-- The trace context (W3C headers) of the change a notification tells of, if it was traced: the
-- delivery loop sends it in a span of that trace (shared/notifications, shared/tracing).
alter table notifications add column trace_context jsonb;

-- migrate:down
alter table notifications drop column trace_context;
