package io.rampart.controlplane.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.rampart.controlplane.RampartConfig;

/**
 * Copies the outbox (event_outbox, see EventOutbox) to Kafka on every replica: every
 * {@code rampart.outbox.relay-every} (200 ms) and at once after a transaction that wrote to it
 * commits. Each round is one PostgreSQL transaction: it takes the relay lock, claims up to
 * {@code rampart.outbox.batch-size} rows in id order ({@code for update skip locked}), writes them
 * with ReliableProducer (acks=all, idempotent) and deletes them only after Kafka acknowledged
 * every one. A failed round returns only once the producer settled every record (writeSettled),
 * so no copy of a row is still being retried inside the producer when the next round sends it. If Kafka refuses or the round fails anywhere, the transaction rolls back and the rows
 * stay for the next round (after a backoff of up to {@link #MAX_BACKOFF}).
 *
 * <p>Order: only the replica holding the transaction-scoped advisory lock {@link #RELAY_LOCK}
 * relays, so one sender at a time writes the rows in id order; the rows of one key were written
 * in commit order (each writer of a practice holds its practice_compliance row lock until it
 * commits, and takes its ids after the lock), and the idempotent producer keeps the order of one
 * key's records across retries. Delivery: exactly once while nothing crashes; a crash (or a failed
 * delete) after Kafka acknowledged sends the rows again, in the same order, so consumers dedupe by
 * event id (Alerting by processed_compliance_event; an audit consumer by AuditEvent.event_id).
 */
@ApplicationScoped
public class OutboxRelay {

    /** The advisory lock of the one relaying replica ("RampOutb" in ASCII). */
    static final long RELAY_LOCK = 0x52616d704f757462L;
    /** The longest wait between rounds while Kafka (or PostgreSQL) keeps failing. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    EntityManager entityManager;
    @Inject
    ReliableProducer producer;
    @Inject
    RampartConfig config;
    @Inject
    MeterRegistry registry;

    private final Semaphore wakeUps = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean stopping;
    private Counter relayed;
    private Counter failures;

    /** After the topics exist (EventLogLifecycle creates them at the default priority). */
    void onStart(@Observes @Priority(2600) StartupEvent event) {
        relayed = Counter.builder("rampart.outbox.relayed").description("Outbox records Kafka acknowledged and the relay removed")
                .register(registry);
        failures = Counter.builder("rampart.outbox.relay.failures").description("Relay rounds that failed (Kafka or the database unavailable)")
                .register(registry);
        stopping = false;
        thread = new Thread(this::run, "rampart-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        wakeUps.release();
        Thread running = thread;
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(35).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Something was committed to the outbox: relay it now rather than at the next round. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        int failed = 0;
        while (!stopping) {
            try {
                int sent = relayOnce();
                if (failed > 0) {
                    LOG.infof("The outbox relay works again after %d failed rounds", failed);
                }
                failed = 0;
                if (sent == config.outbox().batchSize()) {
                    continue; // more are waiting
                }
            } catch (RuntimeException e) {
                failed++;
                failures.increment();
                if (failed == 1 || failed % 20 == 0) {
                    LOG.warnf("The outbox relay could not send to Kafka (%d rounds in a row); the records stay in event_outbox "
                            + "and are sent when Kafka takes them: %s", failed, rootMessage(e));
                }
            }
            waitForNextRound(failed);
        }
    }

    /** The relay interval, or a growing backoff (up to MAX_BACKOFF) while rounds fail; a commit cuts only the first short. */
    private void waitForNextRound(int failed) {
        long interval = config.outbox().relayEvery().toMillis();
        long wait = failed == 0 ? interval : Math.min(MAX_BACKOFF.toMillis(), interval << Math.min(failed, 10));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
        try {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                if (wakeUps.tryAcquire(left, TimeUnit.NANOSECONDS) && failed == 0) {
                    break;
                }
            }
            wakeUps.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /**
     * One round: relays up to batch-size rows and returns how many it sent (0 when another replica
     * holds the relay lock or nothing is waiting).
     *
     * @throws OutboxRelayFailed when Kafka did not acknowledge every record (all of them stay in the outbox)
     */
    public int relayOnce() {
        // a round waits for Kafka's verdict on every record (ReliableProducer.SETTLE_TIMEOUT) before it commits or rolls back
        return QuarkusTransaction.requiringNew().timeout((int) ReliableProducer.SETTLE_TIMEOUT.plusSeconds(30).toSeconds())
                .call(this::relayInTransaction);
    }

    private int relayInTransaction() {
        boolean mine = (Boolean) entityManager.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!mine) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select id, topic, record_key, payload from event_outbox order by id limit ?1 for update skip locked""")
                .setParameter(1, config.outbox().batchSize()).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>(rows.size());
        // consecutive rows of one topic go in one write; a write returns only when Kafka acknowledged each record
        String topic = null;
        List<ReliableProducer.Keyed> run = new ArrayList<>();
        for (Object[] row : rows) {
            ids.add(((Number) row[0]).longValue());
            if (topic != null && !topic.equals(row[1])) {
                write(topic, run);
                run = new ArrayList<>();
            }
            topic = (String) row[1];
            run.add(new ReliableProducer.Keyed((String) row[2], (byte[]) row[3]));
        }
        write(topic, run);
        entityManager.createNativeQuery("delete from event_outbox where id in (?1)").setParameter(1, ids).executeUpdate();
        relayed.increment(rows.size());
        return rows.size();
    }

    private void write(String topic, List<ReliableProducer.Keyed> records) {
        try {
            producer.writeSettled(topic, records);
        } catch (EventLogUnavailable e) {
            throw new OutboxRelayFailed("Kafka did not acknowledge " + records.size() + " records for topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root == e ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }

    /** A round of the relay failed; its rows stay in the outbox. */
    public static class OutboxRelayFailed extends RuntimeException {
        OutboxRelayFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
