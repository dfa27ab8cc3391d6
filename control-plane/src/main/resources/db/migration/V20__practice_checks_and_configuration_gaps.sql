-- Check sets (issue 13, section 2). A group's checks stay in check_definition; a practice may add a
-- check of its own or override one of its group's (same check id: the practice's row replaces the
-- group's whole definition), or remove one (removed = true: the group's check is not run there).
-- The practice's group is not stored here: a practice moved to another group keeps its own checks,
-- now merged over the new group's set.
create table practice_check (
    provider_id      uuid not null references provider (id),
    practice_id      uuid not null references practice (id),
    check_id         text not null,
    removed          boolean not null default false,
    -- null exactly when removed
    kind             text,
    interval_seconds bigint check (interval_seconds > 0),
    settings         jsonb,
    primary key (practice_id, check_id),
    check (removed = (kind is null)),
    check (removed = (interval_seconds is null))
);
create index practice_check_provider on practice_check (provider_id);

-- A rule no configured check of the practice can ever give evidence for is a configuration gap
-- (a person must add a check), told apart from a rule that merely has no data yet.
alter table rule_state add column configuration_gap boolean not null default false;
