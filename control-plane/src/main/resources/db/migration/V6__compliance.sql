-- How every practice stands against its group's policy. Written only by the compliance
-- evaluation, which holds the practice's practice_compliance row locked while it works, so two
-- replicas never evaluate one practice at the same time.

create table practice_compliance (
    practice_id     uuid primary key references practice (id),
    provider_id     uuid not null,
    group_id        uuid not null,
    -- null until the first evaluation
    status          text,
    reason          text,
    since           timestamptz,
    policy_version  int,
    evaluated_at    timestamptz,
    -- which control-plane process evaluated it last (pid@host): who did the work, for operators
    evaluated_by    text,
    -- when the evaluation must look again (time passing alone turns PASS into AT_RISK and FAIL)
    next_due_at     timestamptz not null
);
create index practice_compliance_due on practice_compliance (next_due_at);
create index practice_compliance_tenancy on practice_compliance (provider_id, group_id);

create table rule_state (
    practice_id    uuid not null references practice (id),
    rule_id        text not null,
    provider_id    uuid not null,
    group_id       uuid not null,
    status         text not null,
    reason         text not null,
    since          timestamptz not null,
    policy_version int not null,
    primary key (practice_id, rule_id)
);
create index rule_state_tenancy on rule_state (provider_id, group_id, rule_id);

-- Every change of a rule's state, and of the practice's overall state (rule_id null); also on the
-- compliance topic. Answers "when did this practice last pass restore-test".
create table compliance_history (
    id              bigserial primary key,
    provider_id     uuid not null,
    group_id        uuid not null,
    practice_id     uuid not null,
    rule_id         text,
    status          text not null,
    previous_status text,
    reason          text not null,
    changed_at      timestamptz not null,
    policy_version  int not null
);
-- ids are taken 50 at a time, so that inserting many changes at once is batched
alter sequence compliance_history_id_seq increment by 50;
create index compliance_history_practice on compliance_history (practice_id, changed_at desc);
create index compliance_history_group on compliance_history (group_id, rule_id, changed_at);
