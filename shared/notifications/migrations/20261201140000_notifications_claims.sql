-- migrate:up
-- A message being sent is claimed (shared.notifications): `sending`, its attempt counted, until
-- its lease ends at `claimed_until`; the claim commits before the mail or WhatsApp message goes out.
alter table notifications add column claimed_until timestamptz,
    drop constraint notifications_state_check,
    add constraint notifications_state_check check (state in ('pending', 'sending', 'sent', 'failed', 'dropped'));
create index notifications_leases on notifications (claimed_until) where state = 'sending';

-- migrate:down
update notifications set state = 'pending' where state = 'sending';
drop index notifications_leases;
alter table notifications drop column claimed_until, drop constraint notifications_state_check,
    add constraint notifications_state_check check (state in ('pending', 'sent', 'failed', 'dropped'));
