-- migrate:up
-- A settling mark has passed once no transaction older than it is still writing to this
-- schema's `events` (see shared/eventstore/settled.py). Only writers of `events` can hold a
-- position: each holds a RowExclusiveLock on it, taken before its transaction id and its
-- positions (the lock comes with the statement, before it runs). Transactions that write
-- elsewhere, in this service or any other on the server, no longer hold its readers back.
-- Transaction ids in pg_locks are 32 bits: "older" is compared modulo 2^32, as PostgreSQL does.
create function settling_mark_passed(mark_xid bigint) returns boolean
language sql stable set search_path from current as $$
    select pg_snapshot_xmin(pg_current_snapshot())::text::bigint > mark_xid
        or not exists (
            select 1
            from pg_locks writer
            join pg_locks own_id on own_id.pid = writer.pid and own_id.locktype = 'transactionid'
                                and own_id.mode = 'ExclusiveLock'
            where writer.locktype = 'relation' and writer.relation = 'events'::regclass
              and writer.mode = 'RowExclusiveLock' and writer.pid <> pg_backend_pid()
              and ((mark_xid % 4294967296) - own_id.transactionid::text::bigint + 4294967296) % 4294967296
                  between 1 and 2147483647
        )
$$;

-- migrate:down
drop function settling_mark_passed(bigint);
