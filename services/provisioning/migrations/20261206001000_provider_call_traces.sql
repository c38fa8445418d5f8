-- migrate:up
-- The trace context (W3C headers) of the decision that asked for the call, if it was traced:
-- the worker makes the call in a span of that trace (shared/tracing).
alter table provider_calls add column trace_context jsonb;

-- migrate:down
alter table provider_calls drop column trace_context;
