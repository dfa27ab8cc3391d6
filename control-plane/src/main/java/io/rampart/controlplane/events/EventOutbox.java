package io.rampart.controlplane.events;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.hibernate.Session;

/**
 * The transactional outbox: records for Kafka written to PostgreSQL (table event_outbox) in the
 * caller's transaction, so they exist exactly when the change they describe committed. OutboxRelay
 * sends them (acks=all) and deletes them once Kafka acknowledged; a crash in between sends a row
 * again, and every consumer dedupes by the event id the payload carries.
 */
@ApplicationScoped
public class EventOutbox {

    private static final String WAKE_RELAY = EventOutbox.class.getName() + ".wakeRelay";

    @Inject
    EntityManager entityManager;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    OutboxRelay relay;
    @Inject
    Clock clock;

    /** A record for Kafka: its topic, key (records of one key keep their order), event id and serialised message. */
    public record Entry(String topic, String key, UUID eventId, byte[] payload) {
    }

    /**
     * Adds the records, in this order, to the caller's transaction (which must exist); they are
     * relayed after it commits, in this order per key, and never if it rolls back.
     */
    @Transactional(TxType.MANDATORY)
    public void add(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into event_outbox (topic, record_key, payload, event_id, created_at) values (?, ?, ?, ?, ?)")) {
                for (Entry entry : entries) {
                    insert.setString(1, entry.topic());
                    insert.setString(2, entry.key());
                    insert.setBytes(3, entry.payload());
                    insert.setObject(4, entry.eventId());
                    insert.setObject(5, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        wakeRelayAfterCommit();
    }

    /** A committed row is worth sending at once rather than at the relay's next round; once per transaction. */
    private void wakeRelayAfterCommit() {
        if (transactions.getResource(WAKE_RELAY) == null) {
            transactions.putResource(WAKE_RELAY, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
        }
    }
}
