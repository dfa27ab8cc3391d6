package io.rampart.agent;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import io.rampart.agent.collectors.Heartbeat;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AgentState;
import io.rampart.agent.config.CentralSources;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.identity.AgentCertificate;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.schedule.CheckRunner;
import io.rampart.agent.schedule.CheckRuns;
import io.rampart.agent.schedule.RepositoryTurn;
import io.rampart.agent.transport.Backoff;
import io.rampart.agent.transport.ConfigurationWatcher;
import io.rampart.agent.transport.ControlPlaneClient;
import io.rampart.agent.transport.Delivery;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.RenewCertificateResponse;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * The running agent of one practice: fetches what to check, runs the checks, writes every
 * observation to the outbox first and delivers it to the control plane when it can.
 * Nothing waits behind a check: checks run on their own bounded pool ({@link CheckRuns}, one run per check id at a
 * time), delivery on its own thread, and heartbeats, configuration refresh and certificate renewal on a scheduler
 * whose tasks each have a thread.
 */
public final class PracticeAgent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PracticeAgent.class.getName());
    private static final Duration CONFIGURATION_REFRESH = Duration.ofMinutes(5);
    private static final Duration RENEWAL_CHECK = Duration.ofHours(1);
    /** How often the scheduler looks at what is due; intervals themselves come from the configuration. */
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final String HEARTBEAT = "heartbeat";

    private final AgentHome home;
    private final Clock clock;
    private final EnrolledIdentity identity;
    private final AgentCertificate certificate;
    private final Outbox outbox;
    private final ControlPlaneClient client;
    private final Delivery delivery;
    private final Heartbeat heartbeat;
    private final CheckRuns checkRuns;
    private final String who;
    private final Map<String, Instant> lastRunAt = new ConcurrentHashMap<>();
    /**
     * Checks that open restic or borg repositories take turns, also with {@code rampart-agent check} run by a person
     * (see {@link RepositoryTurn}). The turn is taken before a pool thread is, and a check that cannot have it stays due
     * for the next tick, so checks waiting for their turn never fill the pool that the UPS, folder and database checks
     * run on.
     */
    private final RepositoryTurn repositoryTurn;
    private final CheckRunner checkRunner;
    private final Object stateLock = new Object();
    private AgentState state; // guarded by stateLock
    private ScheduledExecutorService scheduler;
    private Thread deliveryThread;
    /** What the control plane sets for the practice's checks, with its sealed secrets opened; checks.properties wins. */
    private volatile CentralSources.Applied central = CentralSources.Applied.NONE;
    private final ConfigurationWatcher watcher;
    private Thread watchThread;

    private PracticeAgent(AgentHome home, Clock clock, EnrolledIdentity identity, AgentCertificate certificate, ControlPlaneClient client) {
        this.home = home;
        this.clock = clock;
        this.identity = identity;
        this.certificate = certificate;
        this.client = client;
        this.outbox = Outbox.open(home.outboxDirectory(), Outbox.DEFAULT_MAX_EVENTS, clock);
        this.state = home.readState();
        this.heartbeat = new Heartbeat(clock, ThisComputer.hostname(), AgentVersion.current());
        this.delivery = new Delivery(outbox, client, () -> configuration().maxBatchSize(), Backoff.standard(),
                acknowledged -> recordDelivery());
        this.who = "agent " + identity.agentId() + " (practice " + identity.practiceId() + ")";
        this.checkRuns = new CheckRuns(CheckRuns.DEFAULT_THREADS, clock, home.runningChecksFile());
        this.repositoryTurn = RepositoryTurn.in(home);
        this.checkRunner = new CheckRunner(home, this::checkSettings, clock, who);
        this.watcher = new ConfigurationWatcher(client, () -> configuration().version(), this::takeConfiguration, Backoff.standard());
        this.central = CentralSources.apply(state.configuration().proto(), home);
    }

    /** Opens the enrolled agent in this home; nothing runs until {@link #start()}. */
    public static PracticeAgent open(AgentHome home, Clock clock) {
        EnrolledIdentity identity = home.readIdentity()
                .orElseThrow(() -> new IllegalStateException("not enrolled: run `rampart-agent enroll ...` first"));
        AgentCertificate certificate = home.certificate();
        return new PracticeAgent(home, clock, identity, certificate,
                ControlPlaneClient.connect(identity.server(), certificate.channelCredentials()));
    }

    /** Starts the background work: configuration refresh, heartbeats, checks on their intervals, delivery. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        // one thread per task: a slow configuration fetch or renewal (each with a deadline) never delays a heartbeat
        scheduler = Executors.newScheduledThreadPool(3, runnable -> daemon(runnable, "rampart-agent-scheduler"));
        // queued first, so the first round of checks already uses the fresh configuration when reachable
        scheduler.scheduleWithFixedDelay(this::refreshConfigurationQuietly, 0, CONFIGURATION_REFRESH.toSeconds(), TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::runDueWork, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::renewCertificateQuietly, 0, RENEWAL_CHECK.toSeconds(), TimeUnit.SECONDS);
        deliveryThread = daemon(delivery::runUntilStopped, "rampart-agent-delivery");
        deliveryThread.start();
        // changes arrive within seconds over the watch; the 5-minute poll above stays as the fallback
        watchThread = daemon(watcher::runUntilStopped, "rampart-agent-configuration-watch");
        watchThread.start();
        LOG.info(who + " started: " + outbox.size() + " events waiting, configuration version " + configuration().version());
    }

    /**
     * Runs every configured check and a heartbeat once, in the calling thread, into the outbox (nothing is sent).
     * A check whose scheduled run has not finished is not run a second time.
     */
    public void runChecksNow() {
        for (CheckDefinition check : configuration().checks()) {
            boolean takesTurns = RepositoryTurn.takesTurns(check.getKind());
            checkRuns.runHere(check.getCheckId(), () -> {
                if (takesTurns) {
                    repositoryTurn.take();
                }
                try {
                    runCheck(check);
                } finally {
                    if (takesTurns) {
                        repositoryTurn.give();
                    }
                }
            });
        }
        appendHeartbeat();
    }

    /** One synchronous attempt to empty the outbox; throws the gRPC failure when that is impossible. */
    public int deliverNow() {
        return delivery.deliverNow();
    }

    /** Asks the control plane for the desired configuration now and keeps it on disk for offline starts. */
    public void refreshConfiguration() {
        AgentConfiguration fetched = client.configuration(configuration().version());
        if (takeConfiguration(fetched) && watchThread != null) {
            // the watch should have brought it: it may have died silently, so open a new one
            watcher.reopen();
        }
    }

    /** Takes a configuration from the poll or the watch: kept on disk, its sealed secrets opened; true when it is new. */
    private boolean takeConfiguration(AgentConfiguration fetched) {
        long previous;
        synchronized (stateLock) {
            previous = state.configuration().version();
            state = state.withConfiguration(new DesiredConfiguration(fetched));
            home.writeState(state);
            central = CentralSources.apply(fetched, home);
        }
        if (previous != fetched.getVersion()) {
            LOG.info(who + " now follows configuration version " + fetched.getVersion() + " (" + fetched.getChecksCount() + " checks)");
            central.problems().forEach(problem -> LOG.warning(who + " " + problem));
            return true;
        }
        return false;
    }

    /** The checks' settings: checks.properties (re-read each time) over what the control plane sets. */
    public io.rampart.agent.config.LocalChecks checkSettings() {
        return home.localChecks().over(central.settings());
    }

    /** The version of the configuration the agent follows now. */
    public long configurationVersion() {
        return configuration().version();
    }

    /**
     * Renews the agent's certificate when less than a third of its validity is left, with a new
     * key pair; returns whether it did. A revoked agent is refused (UNAUTHENTICATED).
     */
    public boolean renewCertificateIfDue() {
        if (!certificate.renewalDue(clock.instant())) {
            return false;
        }
        KeyPair keys = CertificateRequests.newKeyPair();
        try {
            // secrets sealed to the current key must still open after the renewal
            CentralSources.retire(home, certificate.certificate(), Pem.readPrivateKey(home.privateKeyFile()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the current key in " + home.retiredKeysDirectory(), e);
        }
        RenewCertificateResponse renewed = client.renewCertificate(CertificateRequests.request(keys, identity.agentId()));
        X509Certificate signed = Pem.certificate(renewed.getClientCertificate().toByteArray());
        certificate.renewed(keys, signed, renewed.getCaCertificatesList().stream().map(der -> Pem.certificate(der.toByteArray())).toList());
        LOG.info(who + " renewed its certificate; it is valid until " + signed.getNotAfter().toInstant());
        return true;
    }

    public int outboxSize() {
        return outbox.size();
    }

    @Override
    public synchronized void close() {
        delivery.stop();
        watcher.stop();
        checkRuns.close();
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
                // interrupting cancels an RPC in flight; its events simply stay in the outbox
                deliveryThread.interrupt();
                deliveryThread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        LOG.info(who + " stopped: " + outbox.size() + " events waiting");
    }

    private DesiredConfiguration configuration() {
        synchronized (stateLock) {
            return state.configuration();
        }
    }

    private void refreshConfigurationQuietly() {
        try {
            refreshConfiguration();
        } catch (RuntimeException e) {
            LOG.info(who + " keeps configuration version " + configuration().version() + ": control plane not reachable (" + e.getMessage() + ")");
        }
    }

    private void renewCertificateQuietly() {
        try {
            renewCertificateIfDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, who + " could not renew its certificate (it retries hourly): " + e.getMessage());
        }
    }

    /** Every tick: the heartbeat when due, and due checks handed to their pool; never waits for a check. */
    private void runDueWork() {
        try {
            DesiredConfiguration configuration = configuration();
            Instant now = clock.instant();
            if (isDue(HEARTBEAT, configuration.heartbeatInterval(), now)) {
                appendHeartbeat();
            }
            // the longest waiting first, so repository checks taking turns each get theirs
            List<CheckDefinition> byLastRun = configuration.checks().stream()
                    .sorted(Comparator.comparing(check -> lastRunAt.getOrDefault("check:" + check.getCheckId(), Instant.MIN))).toList();
            for (CheckDefinition check : byLastRun) {
                String key = "check:" + check.getCheckId();
                Instant previous = lastRunAt.get(key);
                if (!isDue(key, DesiredConfiguration.intervalOf(check), now)) {
                    continue;
                }
                boolean takesTurns = RepositoryTurn.takesTurns(check.getKind());
                if (takesTurns && !repositoryTurn.tryTake()) {
                    // another repository check has the turn: still due, tried again at the next tick
                    restoreLastRun(key, previous);
                    continue;
                }
                // not started again while an earlier run goes on; CheckRuns counts and logs it
                boolean started = checkRuns.start(check.getCheckId(), () -> {
                    try {
                        runDueCheck(check, key);
                    } finally {
                        if (takesTurns) {
                            repositoryTurn.give();
                        }
                    }
                });
                if (takesTurns && !started) {
                    repositoryTurn.give();
                }
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and carry on
            LOG.log(Level.WARNING, who + " could not run its checks: " + e, e);
        }
    }

    private void runDueCheck(CheckDefinition check, String key) {
        Instant now = clock.instant();
        Optional<Instant> later = checkRunner.deferredUntil(check);
        if (later.isPresent()) {
            // due again exactly then; nothing is reported meanwhile, so the last result stays the evidence
            lastRunAt.put(key, later.get().minus(DesiredConfiguration.intervalOf(check)));
            LOG.info(() -> who + " check " + check.getCheckId() + " waits until " + later.get()
                    + " to stay out of the practice's backup window");
            return;
        }
        runCheck(check);
    }

    private void restoreLastRun(String what, Instant previous) {
        if (previous == null) {
            lastRunAt.remove(what);
        } else {
            lastRunAt.put(what, previous);
        }
    }

    private boolean isDue(String what, Duration interval, Instant now) {
        Instant last = lastRunAt.get(what);
        if (last != null && now.isBefore(last.plus(interval))) {
            return false;
        }
        lastRunAt.put(what, now);
        return true;
    }

    private void runCheck(CheckDefinition check) {
        append(AgentEvent.newBuilder().setCheckResult(checkRunner.run(check)));
    }

    private void appendHeartbeat() {
        append(AgentEvent.newBuilder().setHeartbeat(heartbeat.now(outbox.size(), outbox.setAsideEvents().summary())));
    }

    private void append(AgentEvent.Builder payload) {
        Instant now = clock.instant();
        outbox.append(payload.setEventId(UUID.randomUUID().toString())
                .setPracticeId(identity.practiceId())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build());
        delivery.wakeUp();
    }

    private void recordDelivery() {
        synchronized (stateLock) {
            state = state.withLastDeliveryAt(clock.instant());
            home.writeState(state);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
