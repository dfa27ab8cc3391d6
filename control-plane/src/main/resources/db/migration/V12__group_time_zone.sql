-- A group's time zone is the group's, not only its notification settings': a date a person types
-- (a plan review "on 30 Nov", an exception "until 31 Jan") means that day where the group is.
alter table practice_group add column time_zone text not null default 'UTC';
update practice_group g set time_zone = s.time_zone from group_notification_settings s where s.group_id = g.id;
alter table group_notification_settings drop column time_zone;
