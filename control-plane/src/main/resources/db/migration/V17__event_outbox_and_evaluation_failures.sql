-- The transactional outbox: a compliance change or an audit record is written here in the same
-- transaction as the change itself, and OutboxRelay copies it to Kafka (acks=all) and deletes it
-- only after Kafka acknowledged. A crash between the two stores can then only send a row twice
-- (consumers dedupe by event id), never keep a change in one store and not the other.
create table event_outbox (
    -- the order rows are relayed in; per key it is the order the changes committed in, because
    -- every writer of one key holds that key's row lock (practice_compliance) until it commits
    id          bigserial primary key,
    topic       text not null,
    -- the Kafka record key (the practice for compliance, the provider for audit)
    record_key  text not null,
    -- the serialised protobuf message, exactly the bytes the Kafka record carries
    payload     bytea not null,
    -- the event id inside the payload, for operators matching a row to a record
    event_id    uuid not null,
    created_at  timestamptz not null
);
create index event_outbox_created on event_outbox (created_at);

-- A practice whose evaluation throws is rolled back alone and retried later with backoff; these
-- say what went wrong, since when and how often, for the practice's compliance view.
alter table practice_compliance
    add column evaluation_error text,
    add column evaluation_failing_since timestamptz,
    add column evaluation_attempts int not null default 0;
