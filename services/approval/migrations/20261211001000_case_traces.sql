-- migrate:up
-- The trace context (W3C headers) of the submission that opened the case, if it was traced:
-- each official's decision, a trace of its own, links to it (shared/tracing).
alter table cases add column trace_context jsonb;

-- migrate:down
alter table cases drop column trace_context;
