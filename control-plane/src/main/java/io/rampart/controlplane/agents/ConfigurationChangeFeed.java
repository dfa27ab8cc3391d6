package io.rampart.controlplane.agents;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.policy.AgentConfigurationChanged;

/**
 * Tells every replica's {@link ConfigurationWatch} of committed configuration changes. Each change is a row of
 * configuration_change written in the change's own transaction; the replica that made it pushes right after the
 * commit, and every replica reads the new rows once a second ({@code rampart.agents.configuration-watch-poll}, 1s) on a thread of its own.
 * Chosen over PostgreSQL LISTEN/NOTIFY because a row survives a replica's lost connection (a notification sent while
 * a listener reconnects is gone), needs no connection held outside the pool and works through transaction-pooling
 * proxies such as PgBouncer; one small indexed query per replica per second costs the same for 10 or 10,000 agents.
 * Rows are read with a look-back and remembered by id, because ids of concurrent transactions commit out of order and a
 * row is dated when it was written, not when its transaction committed: the look-back (120 s) is longer than the
 * longest transaction (Quarkus' default transaction timeout, 60 s), so a change committed late is still read. They are
 * kept a day.
 */
@ApplicationScoped
public class ConfigurationChangeFeed {

    static final int LOOK_BACK_SECONDS = 120;

    @Inject
    EntityManager entityManager;
    @Inject
    ConfigurationWatch watch;
    @Inject
    RampartConfig config;

    private static final Logger LOG = Logger.getLogger(ConfigurationChangeFeed.class);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rampart-configuration-change-feed");
        thread.setDaemon(true);
        return thread;
    });

    /** The row ids of changes this replica wrote, by the very event object, until the transaction ends. */
    private final Map<AgentConfigurationChanged, Written> written = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Ids of rows already pushed, within the look-back. */
    private final Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private record Written(long id, Set<UUID> practices) {
    }

    /** Inside the change's transaction: the row commits with the change, or neither does. */
    void record(@Observes AgentConfigurationChanged change) {
        Number id = (Number) entityManager.createNativeQuery(
                "insert into configuration_change (provider_id, group_id, practice_id) values (?1, ?2, ?3) returning id")
                .setParameter(1, change.providerId())
                .setParameter(2, change.groupId())
                .setParameter(3, change.practiceId())
                .getSingleResult();
        // resolved here, inside the transaction: after the commit there is none to read the group's practices in
        written.put(change, new Written(id.longValue(), practicesOf(List.of(change))));
    }

    /** Right after the commit, on the replica that made the change: its own watchers hear at once. */
    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentConfigurationChanged change) {
        Written row = written.remove(change);
        if (row != null) {
            seen.add(row.id());
            watch.practicesChanged(row.practices());
        }
    }

    void rolledBack(@Observes(during = TransactionPhase.AFTER_FAILURE) AgentConfigurationChanged change) {
        written.remove(change);
    }

    /**
     * Its own thread rather than the Quarkus scheduler: watching agents depend on it in every profile, the tests' too
     * (where the scheduler is off).
     */
    void start(@Observes StartupEvent started) {
        long every = config.agents().configurationWatchPoll().toMillis();
        poller.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(this::forgetOldChangesQuietly, 1, 60, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // the database may be away a moment: the next round reads the same look-back
            LOG.warnf("Could not read configuration changes: %s", e.getMessage());
        }
    }

    private void forgetOldChangesQuietly() {
        try {
            QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                    "delete from configuration_change where changed_at < clock_timestamp() - interval '1 day'").executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("Could not forget old configuration changes: %s", e.getMessage());
        }
    }

    /** Every replica, once per rampart.agents.configuration-watch-poll: changes other replicas committed. */
    void poll() {
        if (watch.watching() == 0) {
            seen.clear();
            return;
        }
        Set<UUID> touched = QuarkusTransaction.requiringNew().call(this::freshChanges);
        if (!touched.isEmpty()) {
            watch.practicesChanged(touched);
        }
    }

    private Set<UUID> freshChanges() {
        List<AgentConfigurationChanged> fresh = new ArrayList<>();
        Set<Long> current = new HashSet<>();
        for (Object[] row : recentChanges()) {
            long id = ((Number) row[0]).longValue();
            current.add(id);
            if (seen.add(id)) {
                fresh.add(new AgentConfigurationChanged((UUID) row[1], (UUID) row[2], (UUID) row[3]));
            }
        }
        seen.retainAll(current);
        return fresh.isEmpty() ? Set.of() : practicesOf(fresh);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> recentChanges() {
        return entityManager.createNativeQuery("select id, provider_id, group_id, practice_id from configuration_change"
                + " where changed_at > clock_timestamp() - make_interval(secs => ?1) order by id")
                .setParameter(1, LOOK_BACK_SECONDS).getResultList();
    }

    /** Watched practices the changes touch: one query for a group or provider change, none for a practice's own. */
    @SuppressWarnings("unchecked")
    private Set<UUID> practicesOf(List<AgentConfigurationChanged> changes) {
        Set<UUID> watched = watch.watchedPractices();
        Set<UUID> touched = new HashSet<>();
        for (AgentConfigurationChanged change : changes) {
            if (change.practiceId() != null) {
                touched.add(change.practiceId());
            } else if (!watched.isEmpty()) {
                String where = change.groupId() != null ? "group_id = ?1" : "provider_id = ?1";
                touched.addAll(entityManager.createNativeQuery("select id from practice where " + where)
                        .setParameter(1, change.groupId() != null ? change.groupId() : change.providerId()).getResultList());
            }
        }
        touched.retainAll(watched);
        return touched;
    }
}
