-- Policies (DESIGN.md, "The reference policy"). A policy document is jsonb in the form the REST
-- API shows: {"rules": {"db-sync": {"enabled": true, "maxLag": "PT15M", ...}, ...}}.
-- Numbered 10 so that migrations added meanwhile on the main line (V4...) do not clash.

-- Named documents a provider keeps to apply to its groups; they belong to the provider, not to a group.
create table policy_template (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    name        text not null,
    document    jsonb not null,
    created_by  text not null,
    created_at  timestamptz not null,
    updated_by  text not null,
    updated_at  timestamptz not null,
    unique (provider_id, name)
);

-- Every change of a group's policy is a new row, never updated: a verdict names the version it
-- was made under, so that version must stay as it was.
create table group_policy_version (
    provider_id uuid not null references provider (id),
    group_id    uuid not null references practice_group (id),
    version     int not null check (version > 0),
    document    jsonb not null,
    changed_by  text not null,
    changed_at  timestamptz not null,
    comment     text,
    primary key (group_id, version)
);
create index group_policy_version_provider on group_policy_version (provider_id);

create function group_policy_version_is_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'a policy version is never changed or removed; make a new version';
end;
$$;
create trigger group_policy_version_immutable before update or delete on group_policy_version
    for each row execute function group_policy_version_is_immutable();

-- The group's effective policy: the version it points at. A group without a row here has the
-- reference policy (version 0, never stored).
create table group_policy (
    group_id        uuid primary key references practice_group (id),
    provider_id     uuid not null references provider (id),
    current_version int not null,
    foreign key (group_id, current_version) references group_policy_version (group_id, version)
);

-- Documented exceptions to one rule for one practice; revoked, never deleted, so the history stays.
create table policy_exception (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    group_id    uuid not null references practice_group (id),
    practice_id uuid not null references practice (id),
    rule_id     text not null,
    reason      text not null,
    approved_by text not null,
    valid_until timestamptz not null,
    created_by  text not null,
    created_at  timestamptz not null,
    revoked_by  text,
    revoked_at  timestamptz
);
create index policy_exception_practice on policy_exception (practice_id, rule_id);
create index policy_exception_tenancy on policy_exception (provider_id, group_id);

-- A person's review of the practice's documented backup procedure (rule plan-review).
create table plan_review (
    id           uuid primary key,
    provider_id  uuid not null references provider (id),
    group_id     uuid not null references practice_group (id),
    practice_id  uuid not null references practice (id),
    reviewed_by  text not null,
    reviewed_at  timestamptz not null,
    note         text not null,
    document_url text,
    recorded_by  text not null,
    recorded_at  timestamptz not null
);
create index plan_review_practice on plan_review (practice_id, reviewed_at desc);
create index plan_review_tenancy on plan_review (provider_id, group_id);
