-- Every email and webhook call is a delivery of its own: sent by the delivery job outside the
-- alert consumer's transaction, tried a bounded number of times, then given up and shown as failed.

-- GIVEN_UP: no more attempts (too many failed, or a destination that is not allowed); last_error says why.
alter table notification drop constraint notification_status_check;
alter table notification add constraint notification_status_check check (status in ('PENDING', 'SENT', 'GIVEN_UP'));

-- Where it goes, as the delivery job limits it to one call at a time: "email:<address>" or
-- "webhook:<host>:<port>". One slow or dead destination holds one worker, never the others.
alter table notification add column destination text;
update notification set destination = case when channel = 'EMAIL' then 'email:' || lower(recipient)
    else 'webhook:' || lower(coalesce(substring(recipient from '^[A-Za-z]+://([^/?#]+)'), recipient))
        -- host:port, as Notification.destinationOf writes it for new rows (the scheme's port when the URL has none)
        || case when substring(recipient from '^[A-Za-z]+://[^/?#]*:([0-9]+)(?:[/?#]|$)') is not null then ''
                when lower(recipient) like 'https:%' then ':443' else ':80' end end;
alter table notification alter column destination set not null;

-- Once per alert, kind, reminder and recipient of each channel: a webhook whose URL is also a
-- contact's address is both called and emailed. Rows are written "on conflict do nothing", so
-- whatever a tenant configured twice (two webhooks to one URL, one address as two contacts) is
-- sent once and never fails the alert that owes it.
alter table notification drop constraint notification_once;
alter table notification add constraint notification_once unique (alert_id, kind, channel, recipient, sequence);

create index notification_destination_due on notification (destination, next_attempt_at) where status = 'PENDING';
