package io.rampart.controlplane.pings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

/**
 * Deletes the kept pings (ping_log: up to Pings.KEPT per URL, each with up to Ping-Body-Limit bytes, about 5 MB per URL)
 * of URLs revoked or rotated more than {@link #KEEP_AFTER_REVOCATION} ago: nobody pings them any more, and every
 * rotation would otherwise leave its log for ever. The ping_url rows stay (a few hundred bytes each): the audit log
 * names them and their ids keep answering 404. Any replica may run it; a delete twice deletes nothing more.
 */
@ApplicationScoped
public class PingLogRetention {

    /** How long the pings of a revoked URL stay readable for a person puzzling over why it was revoked. */
    public static final Duration KEEP_AFTER_REVOCATION = Duration.ofDays(30);

    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteScheduled() {
        deleteOld(clock.instant());
    }

    /** Deletes the kept pings of URLs revoked before {@code now} minus 30 days; returns how many rows. */
    @Transactional
    public int deleteOld(Instant now) {
        return entityManager.createNativeQuery("""
                delete from ping_log where ping_url_id in (select id from ping_url where revoked_at < ?1)""")
                .setParameter(1, OffsetDateTime.ofInstant(now.minus(KEEP_AFTER_REVOCATION), ZoneOffset.UTC)).executeUpdate();
    }
}
