-- Maintenance windows (package maintenance/): planned work at a practice, or at every practice of a group
-- (practice_id null), during which nothing about it is emailed or called out; what still fails at the end is.
-- Rows are never deleted: a window ended early keeps the end it was planned with, a cancelled one says who cancelled it.
create table maintenance_window (
    id              uuid primary key,
    provider_id     uuid not null references provider (id),
    group_id        uuid not null references practice_group (id),
    practice_id     uuid references practice (id),
    starts_at       timestamptz not null,
    -- when it ends: the planned end, or the moment it was ended early
    ends_at         timestamptz not null,
    planned_ends_at timestamptz not null,
    reason          text not null,
    created_by      text not null,
    created_at      timestamptz not null,
    ended_early_at  timestamptz,
    ended_early_by  text,
    cancelled_at    timestamptz,
    cancelled_by    text,
    check (ends_at > starts_at or ended_early_at is not null),
    check (ends_at <= planned_ends_at),
    check ((ended_early_at is null) = (ended_early_by is null)),
    check ((cancelled_at is null) = (cancelled_by is null))
);
create index maintenance_window_practice on maintenance_window (practice_id, ends_at) where cancelled_at is null;
create index maintenance_window_group on maintenance_window (group_id, ends_at) where cancelled_at is null;

-- SKIPPED: a delivery deliberately not sent; last_error says why (a failure that recovered inside a maintenance window:
-- neither its failure nor its recovery is sent). The statuses another migration may have added are kept.
do $$
declare
    definition text;
begin
    select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'notification'::regclass and conname = 'notification_status_check';
    if definition is not null and position('SKIPPED' in definition) = 0 then
        alter table notification drop constraint notification_status_check;
        execute 'alter table notification add constraint notification_status_check '
            || replace(definition, '''GIVEN_UP''::text', '''GIVEN_UP''::text, ''SKIPPED''::text');
    end if;
end $$;
