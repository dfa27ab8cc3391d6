-- Every row names the provider and group it belongs to, so tenant isolation is a matter of
-- scoping queries, never of migrating data.

create table provider (
    id          uuid primary key,
    name        text not null,
    created_at  timestamptz not null
);

create table practice_group (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    name        text not null,
    created_at  timestamptz not null
);
create index practice_group_provider on practice_group (provider_id);

create table practice (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    group_id    uuid not null references practice_group (id),
    name        text not null,
    created_at  timestamptz not null
);
create index practice_tenancy on practice (provider_id, group_id);

-- What the group's agents must check; handed to each agent as its desired configuration.
create table check_definition (
    provider_id      uuid not null references provider (id),
    group_id         uuid not null references practice_group (id),
    check_id         text not null,
    kind             text not null,
    interval_seconds bigint not null check (interval_seconds > 0),
    max_age_seconds  bigint,
    min_size_bytes   bigint,
    primary key (group_id, check_id)
);

create table enrolment_token (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    group_id    uuid not null references practice_group (id),
    practice_id uuid not null references practice (id),
    token_hash  text not null unique,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    used_by_agent_id uuid
);

create table agent (
    id               uuid primary key,
    provider_id      uuid not null references provider (id),
    group_id         uuid not null references practice_group (id),
    practice_id      uuid not null references practice (id),
    credential_hash  text not null unique,
    hostname         text not null,
    agent_version    text not null,
    operating_system text not null,
    enrolled_at      timestamptz not null,
    revoked_at       timestamptz
);
create index agent_practice on agent (practice_id);

-- Projections below are built from the agent-events topic and can be rebuilt by replaying it.

create table agent_presence (
    agent_id     uuid primary key,
    provider_id  uuid not null,
    group_id     uuid not null,
    practice_id  uuid not null,
    hostname     text,
    agent_version text,
    last_seen_at timestamptz not null
);
create index agent_presence_practice on agent_presence (practice_id);

create table check_state (
    provider_id uuid not null,
    group_id    uuid not null,
    practice_id uuid not null,
    check_id    text not null,
    kind        text not null,
    status      text not null,
    summary     text not null,
    details     jsonb not null default '{}',
    observed_at timestamptz not null,
    event_id    uuid not null,
    primary key (practice_id, check_id)
);
create index check_state_tenancy on check_state (provider_id, group_id);

create table event_history (
    event_id    uuid primary key,
    provider_id uuid not null,
    group_id    uuid not null,
    practice_id uuid not null,
    agent_id    uuid not null,
    type        text not null,
    check_id    text,
    status      text,
    summary     text not null,
    occurred_at timestamptz not null,
    received_at timestamptz not null,
    kafka_partition int not null,
    kafka_offset bigint not null
);
create index event_history_practice on event_history (practice_id, occurred_at desc);
create index event_history_tenancy on event_history (provider_id, group_id);
