-- Every change a person makes: who, when, what, before and after. Also on Kafka topic `audit`.
create table audit_log (
    id             uuid primary key,
    provider_id    uuid not null,
    group_id       uuid,
    practice_id    uuid,
    occurred_at    timestamptz not null,
    actor_subject  text not null,
    actor_username text not null,
    actor_role     text not null,
    action         text not null,
    target_type    text not null,
    target_id      text not null,
    before_state   jsonb,
    after_state    jsonb
);
create index audit_log_provider on audit_log (provider_id, occurred_at desc);
