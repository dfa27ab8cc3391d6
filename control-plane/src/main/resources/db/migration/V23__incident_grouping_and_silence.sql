-- The right emails, not the most emails (issue 14, section 3).

-- How long a group's failure, warning and recovery emails of one practice wait for the others of the same
-- incident, in seconds (0: each alert its own email); null: the installation's default
-- (rampart.notifications.group-window).
alter table group_notification_settings add column group_window_seconds bigint check (group_window_seconds between 0 and 900);

-- An alert opened while the practice's agent was silent: its rule cannot be judged, so nobody is told of it on its
-- own (the agent-heartbeat alert names it), it is neither reminded of nor escalated, and it ends quietly if the rule
-- passes once the agent is back. Still failing then, it becomes an ordinary alert: told_at is when its contacts
-- were first told, from which reminders and escalation count.
alter table alert add column silenced boolean not null default false;
alter table alert add column told_at timestamptz;

-- SKIPPED: an email that was never sent because what it was about had already ended (a failure that recovered
-- before its grouped email went out); last_error says so.
alter table notification drop constraint notification_status_check;
alter table notification add constraint notification_status_check check (status in ('PENDING', 'SENT', 'GIVEN_UP', 'SKIPPED'));

-- The grouped email of one recipient, practice and kind claims its due rows together.
create index notification_incident on notification (practice_id, kind, recipient) where status = 'PENDING';
