-- Issue 13, sections 3 and 4: where a practice's backups are, set centrally; secrets only sealed to each agent's
-- own key; and a feed of configuration changes every control-plane replica polls to tell watching agents.

-- The public key of the agent's newest certificate (DER SubjectPublicKeyInfo, EC P-256): browsers seal secrets to it.
-- Agents enrolled before this have none until they renew their certificate.
alter table agent add column public_key bytea;

-- One setting of one check of a practice, as checks.properties names it (check.<check_id>.<key>=<value>), never a secret.
create table practice_source (
    id uuid primary key,
    practice_id uuid not null references practice (id),
    check_id text not null,
    key text not null,
    value text not null,
    updated_at timestamptz not null,
    unique (practice_id, check_id, key)
);

-- A secret of a check (today: its password) sealed with HPKE in a browser to one agent's key; the control plane
-- cannot open it. One row per agent it was sealed for.
create table sealed_secret (
    id uuid primary key,
    practice_id uuid not null references practice (id),
    check_id text not null,
    name text not null,
    agent_id uuid not null references agent (id),
    key_id text not null,
    encapsulated_key bytea not null,
    ciphertext bytea not null,
    sealed_at timestamptz not null,
    unique (practice_id, check_id, name, agent_id)
);

-- Written in the transaction of every change that can alter agents' configuration (ConfigurationChanges); every
-- replica reads the new rows about once a second and pushes the new configuration to the agents watching it.
-- Kept for a day. provider only: every practice of the provider; group: its practices; practice: that one.
create table configuration_change (
    id bigserial primary key,
    provider_id uuid not null,
    group_id uuid,
    practice_id uuid,
    changed_at timestamptz not null default clock_timestamp()
);
create index configuration_change_changed_at on configuration_change (changed_at);
