-- The fleet page shows when each practice last passed a restore test; without this index that
-- would read every event of the practices on the page.
create index event_history_restore_passes on event_history (practice_id, occurred_at desc)
    where check_id like 'restore-test%' and status = 'PASS';
-- Searching and sorting the fleet by name.
create index practice_group_name on practice (group_id, lower(name));
