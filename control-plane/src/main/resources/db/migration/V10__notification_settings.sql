-- How each provider and group wants to be told: the provider's on-call address and when an
-- unacknowledged critical alert escalates to it, the daily digests, quiet hours for
-- non-critical rules, and whether AT_RISK already opens an alert. No row: the defaults.

create table provider_notification_settings (
    provider_id            uuid primary key references provider (id),
    on_call_email          text,
    escalate_after_seconds bigint not null,
    digest_email           text,
    time_zone              text not null,
    digest_time            time not null,
    updated_by             text not null,
    updated_at             timestamptz not null
);

create table group_notification_settings (
    group_id        uuid primary key references practice_group (id),
    provider_id     uuid not null references provider (id),
    alert_on_at_risk boolean not null,
    -- both null: no quiet hours; from > to spans midnight
    quiet_from      time,
    quiet_to        time,
    -- comma-separated rule ids that are critical: escalated, never held back by quiet hours
    critical_rules  text not null,
    time_zone       text not null,
    digest_time     time not null,
    updated_by      text not null,
    updated_at      timestamptz not null,
    check ((quiet_from is null) = (quiet_to is null))
);

-- An alert opened at AT_RISK (groups that ask for it) becomes a FAIL alert when the rule fails.
alter table alert add column level text not null default 'FAIL' check (level in ('AT_RISK', 'FAIL'));
-- When the provider's on-call address was told that nobody acknowledged it.
alter table alert add column escalated_at timestamptz;
create index alert_unacknowledged on alert (opened_at) where status = 'OPEN';

-- A digest is about a provider or a group, not one alert.
alter table notification alter column alert_id drop not null;
alter table notification alter column practice_id drop not null;
alter table notification alter column group_id drop not null;
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
    check (kind in ('WARNING', 'FAILURE', 'RECOVERY', 'REMINDER', 'ESCALATION', 'DIGEST'));

-- Each daily digest is written once per provider or group and local day, whichever replica gets there first.
create table digest_written (
    scope      text not null check (scope in ('PROVIDER', 'GROUP')),
    scope_id   uuid not null,
    local_date date not null,
    written_at timestamptz not null,
    primary key (scope, scope_id, local_date)
);

-- The group's managers get its daily digest rather than every practice's failure email.
alter table contact drop constraint contact_role_check;
alter table contact add constraint contact_role_check check (role in ('IT_CONTACT', 'PRACTICE_MANAGER', 'GROUP_MANAGER'));
