-- An open alert nobody acknowledged is emailed again at an interval: a reminder is a
-- notification of its own, numbered, so each reminder is still sent once per recipient.
alter table alert add column last_reminded_at timestamptz;
alter table alert add column reminders int not null default 0;

alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check check (kind in ('FAILURE', 'RECOVERY', 'REMINDER'));
alter table notification add column sequence int not null default 0;
alter table notification drop constraint notification_alert_id_kind_recipient_key;
alter table notification add constraint notification_once unique (alert_id, kind, recipient, sequence);
