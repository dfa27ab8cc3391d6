-- Healthchecks-style ping URLs (/ping/<ping_id>) of reported-job checks, one live URL per practice and check.
create table ping_url (
    -- the row's own id: what events (as their agent_id) and the audit log name; never the secret
    id               uuid primary key,
    -- the secret in the URL; a rotated or revoked row keeps it only to answer 404
    ping_id          uuid not null unique,
    provider_id      uuid not null,
    practice_id      uuid not null references practice (id),
    check_id         text not null,
    created_at       timestamptz not null,
    created_by       text not null,
    revoked_at       timestamptz,
    revoked_by       text,
    -- the run a start ping opened and no success or fail closed yet
    run_started_at   timestamptz,
    run_id           uuid,
    -- the last success or fail
    last_finished_at timestamptz,
    last_failed      boolean,
    last_exit_status integer,
    last_message     text,
    last_duration_ms bigint,
    last_ping_at     timestamptz
);
create unique index ping_url_live on ping_url (practice_id, check_id) where revoked_at is null;

-- Each ping as it came (the newest PingLog.KEPT per URL are kept): what a person looks at when a job's pings puzzle them.
create table ping_log (
    id           bigserial primary key,
    ping_url_id  uuid not null references ping_url (id) on delete cascade,
    received_at  timestamptz not null,
    action       text not null,
    exit_status  integer,
    method       text not null,
    remote_addr  text,
    user_agent   text,
    run_id       uuid,
    -- the first Ping-Body-Limit bytes of the request body, as sent (not necessarily UTF-8)
    body         bytea not null
);
create index ping_log_by_url on ping_log (ping_url_id, received_at desc);
