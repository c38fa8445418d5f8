-- migrate:up
-- Appends no longer lock `events`; readers by position find how far it is settled (see
-- shared/eventstore/settled.py). A mark is the last position handed out, then a transaction
-- id taken after it, in that order: once every transaction older than the mark has ended,
-- nothing can still commit at or below its position (an append takes its transaction id
-- before its position). One call, so the order holds and the id is released at once.
create function settling_mark(out last_position bigint, out mark_xid bigint)
language plpgsql volatile set search_path from current as $$
begin
    select case when is_called then last_value else 0 end into last_position from events_position_seq;
    mark_xid := pg_current_xact_id()::text::bigint;
end
$$;

-- migrate:down
drop function settling_mark();
