-- A provider's webhooks: every alert opened or resolved is POSTed there as JSON, signed with
-- HMAC-SHA256 under the webhook's secret (kept as is: it signs, so it cannot be hashed).
create table webhook (
    id          uuid primary key,
    provider_id uuid not null references provider (id),
    url         text not null,
    secret      text not null,
    created_by  text not null,
    created_at  timestamptz not null
);
create index webhook_provider on webhook (provider_id);

alter table notification add column channel text not null default 'EMAIL' check (channel in ('EMAIL', 'WEBHOOK'));
alter table notification add column webhook_id uuid;
