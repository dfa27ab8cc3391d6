package io.rampart.controlplane.agents;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;

import io.rampart.controlplane.sources.PracticeConfigurations;
import io.rampart.controlplane.sources.PracticeConfigurations.Snapshot;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.WatchConfigurationResponse;

/**
 * The agents watching their configuration on this replica (WatchConfiguration streams), by practice. A change of a
 * practice is pushed as one computation of the practice's configuration ({@link PracticeConfigurations}) cut per
 * agent in memory, and only to agents whose version differs; bursts of changes of one practice coalesce into one push.
 * A watcher whose agent was revoked has its stream ended with UNAUTHENTICATED. No work per agent happens while
 * nothing changes. Metrics: gauge rampart.agents.configuration.watching, counters
 * rampart.agents.configuration.computed (once per practice per push) and rampart.agents.configuration.pushed (per agent).
 */
@ApplicationScoped
public class ConfigurationWatch {

    private static final Logger LOG = Logger.getLogger(ConfigurationWatch.class);

    @Inject
    PracticeConfigurations configurations;
    @Inject
    MeterRegistry meters;

    private final ConcurrentHashMap<UUID, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    /** Practices with a push queued and not yet started: a second change meanwhile rides on the same push. */
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<UUID, Object> practiceLocks = new ConcurrentHashMap<>();
    // a few threads: computing one practice is a few queries, and pushes of one practice are serialised by its lock
    private final ExecutorService pushers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "rampart-configuration-push");
        thread.setDaemon(true);
        return thread;
    });

    /** One agent's open stream and the version it was last sent. */
    static final class Watcher {
        final UUID agentId;
        final UUID practiceId;
        final StreamObserver<WatchConfigurationResponse> stream;
        long sentVersion = Long.MIN_VALUE; // guarded by this
        boolean ended; // guarded by this

        Watcher(UUID agentId, UUID practiceId, StreamObserver<WatchConfigurationResponse> stream) {
            this.agentId = agentId;
            this.practiceId = practiceId;
            this.stream = stream;
        }

        synchronized boolean send(AgentConfiguration configuration) {
            if (ended || configuration.getVersion() == sentVersion) {
                return false;
            }
            sentVersion = configuration.getVersion();
            stream.onNext(WatchConfigurationResponse.newBuilder().setConfiguration(configuration).build());
            return true;
        }

        synchronized void end(Status status) {
            if (!ended) {
                ended = true;
                stream.onError(status.asRuntimeException());
            }
        }
    }

    void registerMetrics(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        io.micrometer.core.instrument.Gauge.builder("rampart.agents.configuration.watching", watchers,
                map -> map.values().stream().mapToInt(Set::size).sum())
                .description("WatchConfiguration streams agents hold open to this replica").register(meters);
    }

    /** Starts a stream: the agent gets its current configuration at once (on a pusher thread) and every change after. */
    public void watch(AgentIdentity agent, StreamObserver<WatchConfigurationResponse> stream) {
        UUID practiceId = agent.tenancy().practiceId();
        Watcher watcher = new Watcher(agent.agentId(), practiceId, stream);
        if (stream instanceof ServerCallStreamObserver<WatchConfigurationResponse> call) {
            call.setOnCancelHandler(() -> forget(watcher));
        }
        // and through the call's context, which ends with the call however the stream observer is wrapped
        io.grpc.Context.current().addListener(context -> forget(watcher), Runnable::run);
        // registered before the first computation, so a change committed meanwhile is never missed
        watchers.computeIfAbsent(practiceId, id -> ConcurrentHashMap.newKeySet()).add(watcher);
        practicesChanged(Set.of(practiceId));
    }

    /** The practices whose configuration may have changed; those with watchers here are pushed soon. */
    public void practicesChanged(Collection<UUID> practiceIds) {
        for (UUID practiceId : practiceIds) {
            if (watchers.containsKey(practiceId) && queued.add(practiceId)) {
                pushers.execute(() -> push(practiceId));
            }
        }
    }

    /** The practices with agents watching on this replica. */
    public Set<UUID> watchedPractices() {
        return Set.copyOf(watchers.keySet());
    }

    public int watching() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }

    private void push(UUID practiceId) {
        synchronized (practiceLocks.computeIfAbsent(practiceId, id -> new Object())) {
            queued.remove(practiceId); // before computing: a change committed from now on queues another push
            Set<Watcher> practiceWatchers = watchers.get(practiceId);
            if (practiceWatchers == null || practiceWatchers.isEmpty()) {
                return;
            }
            Optional<Snapshot> snapshot;
            try {
                snapshot = configurations.forPractice(practiceId);
                io.micrometer.core.instrument.Counter.builder("rampart.agents.configuration.computed")
                        .description("Practice configurations computed to push to watching agents").register(meters).increment();
            } catch (RuntimeException e) {
                // the agents keep what they have and their 5-minute poll; the next change tries again
                LOG.warnf(e, "Could not compute the configuration of practice %s for its watching agents", practiceId);
                return;
            }
            for (Watcher watcher : practiceWatchers) {
                if (snapshot.isEmpty() || !snapshot.get().liveAgents().contains(watcher.agentId)) {
                    watcher.end(Status.UNAUTHENTICATED.withDescription("agent " + watcher.agentId
                            + " was revoked or its practice is gone; enrol it again with a new token"));
                    forget(watcher);
                    continue;
                }
                try {
                    if (watcher.send(snapshot.get().forAgent(watcher.agentId))) {
                        io.micrometer.core.instrument.Counter.builder("rampart.agents.configuration.pushed")
                                .description("Configurations pushed to watching agents").register(meters).increment();
                    }
                } catch (RuntimeException e) {
                    // a stream that broke under us: it is forgotten; the agent watches again
                    LOG.debugf("Dropped the configuration watch of agent %s: %s", watcher.agentId, e.getMessage());
                    forget(watcher);
                }
            }
        }
    }

    void forget(Watcher watcher) {
        watchers.computeIfPresent(watcher.practiceId, (id, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** Streams end when the replica stops, so agents watch again on another one at once. */
    @PreDestroy
    void stop() {
        watchers.values().forEach(set -> set.forEach(w -> w.end(Status.UNAVAILABLE.withDescription(
                "the control plane is shutting down; watch again"))));
        watchers.clear();
        pushers.shutdown();
        try {
            pushers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
