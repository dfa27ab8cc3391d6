-- Who is told, what is open, and every email owed and sent.

-- A practice's contacts, or a group's (practice_id null: every practice of the group).
create table contact (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    group_id    uuid not null references practice_group (id),
    practice_id uuid references practice (id),
    name        text not null,
    email       text not null,
    role        text not null check (role in ('IT_CONTACT', 'PRACTICE_MANAGER')),
    created_by  text not null,
    created_at  timestamptz not null
);
create index contact_practice on contact (practice_id);
create index contact_group on contact (group_id);

-- One alert per practice and rule while it is failing; resolved when the rule passes again.
create table alert (
    id              uuid primary key,
    provider_id     uuid not null,
    group_id        uuid not null,
    practice_id     uuid not null references practice (id),
    rule_id         text not null,
    status          text not null check (status in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    reason          text not null,
    opened_at       timestamptz not null,
    acknowledged_at timestamptz,
    acknowledged_by text,
    acknowledged_note text,
    resolved_at     timestamptz,
    resolved_reason text
);
create unique index alert_one_unresolved on alert (practice_id, rule_id) where status <> 'RESOLVED';
create index alert_tenancy on alert (provider_id, group_id, status);

-- Compliance events already turned into alerts: a replayed event changes nothing.
create table processed_compliance_event (
    event_id     uuid primary key,
    processed_at timestamptz not null
);

-- Every email owed: written with the alert change, sent by the delivery job, never twice per
-- alert, kind and recipient.
create table notification (
    id              uuid primary key,
    alert_id        uuid not null references alert (id),
    provider_id     uuid not null,
    group_id        uuid not null,
    practice_id     uuid not null,
    kind            text not null check (kind in ('FAILURE', 'RECOVERY')),
    recipient       text not null,
    subject         text not null,
    body            text not null,
    status          text not null check (status in ('PENDING', 'SENT')),
    attempts        int not null default 0,
    last_error      text,
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    unique (alert_id, kind, recipient)
);
create index notification_due on notification (status, next_attempt_at);
