package io.rampart.agent.collectors;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import io.rampart.agent.collectors.database.DatabaseSync;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;

/**
 * A database replicated to a secondary server: is the secondary really a secondary, is it within the
 * data-loss objective (max_lag), and does a verification query succeed on it often enough
 * (verify_every)? When the verification last succeeded is remembered in the agent home
 * ({@value #STATE_FILE}), so a restart does not forget it. The engine (PostgreSQL first) and how to
 * reach the servers are local settings ({@code check.<id>.engine}, {@code .primary}, {@code .secondary}, ...).
 */
public final class DatabaseSyncCollector implements Collector {

    static final String STATE_FILE = "database-sync.properties";

    private static final Logger LOG = Logger.getLogger(DatabaseSyncCollector.class.getName());
    private static final Object STATE_LOCK = new Object();

    /** Which engine a check uses, from its local settings. */
    @FunctionalInterface
    public interface Engines {
        DatabaseSync forCheck(String checkId) throws DatabaseSync.NotConfigured;
    }

    private final Path stateFile;
    private final Engines engines;
    private final Clock clock;

    public DatabaseSyncCollector(AgentHome home, LocalChecks settings, Clock clock) {
        this(home, checkId -> DatabaseSync.configured(checkId, settings), clock);
    }

    public DatabaseSyncCollector(AgentHome home, Engines engines, Clock clock) {
        this.stateFile = home.directory().resolve(STATE_FILE);
        this.engines = engines;
        this.clock = clock;
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_DATABASE_SYNC;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        try {
            examine(engines.forCheck(check.getCheckId()), check, result);
        } catch (DatabaseSync.NotConfigured e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warning("database sync check " + check.getCheckId() + " failed: " + e);
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the database sync check could not be run: " + e.getClass().getSimpleName());
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    private void examine(DatabaseSync sync, CheckDefinition check, CheckResult.Builder result) {
        DatabaseSyncSettings settings = check.getDatabaseSync();
        DatabaseSyncObservation.Builder observation = DatabaseSyncObservation.newBuilder().setEngine(sync.engine());
        Optional<Instant> lastVerified = lastVerified(check.getCheckId());
        lastVerified.ifPresent(at -> observation.setVerifiedAt(timestamp(at)));

        List<String> unreachable = new ArrayList<>();
        DatabaseSync.SecondaryState state = null;
        try {
            state = sync.readSecondary();
            observation.setSecondaryReachable(true);
        } catch (DatabaseSync.Unreachable e) {
            unreachable.add(e.getMessage());
        } catch (DatabaseSync.QueryFailed e) {
            observation.setSecondaryReachable(true);
            error(result, observation, "the secondary " + sync.secondary() + " cannot report its replication state: "
                    + e.getMessage());
            return;
        }
        try {
            sync.pingPrimary();
        } catch (DatabaseSync.Unreachable e) {
            unreachable.add(e.getMessage());
        }
        if (!unreachable.isEmpty()) {
            error(result, observation, String.join("; ", unreachable));
            return;
        }
        if (!state.inRecovery()) {
            fail(result, observation, "the secondary " + sync.secondary()
                    + " is not in recovery, so it is not a secondary of the primary " + sync.primary()
                    + " (promoted, or the wrong server?)");
            return;
        }

        Optional<Duration> maxLag = positive(settings.getMaxLag());
        List<String> failures = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        if (state.lag().isEmpty()) {
            failures.add("the secondary " + sync.secondary()
                    + " cannot tell how far behind it is (it has replayed nothing since it started)");
        } else {
            Duration lag = state.lag().get();
            observation.setLag(DesiredConfiguration.toProto(lag));
            if (maxLag.isPresent() && lag.compareTo(maxLag.get()) > 0) {
                failures.add("secondary is " + HumanDuration.of(lag) + " behind the primary; the data-loss objective is "
                        + HumanDuration.of(maxLag.get()));
            } else {
                facts.add("secondary " + sync.secondary() + " is " + HumanDuration.of(lag) + " behind the primary "
                        + sync.primary() + maxLag.map(limit -> " (data-loss objective " + HumanDuration.of(limit) + ")").orElse(""));
            }
        }

        verify(sync, check.getCheckId(), positive(settings.getVerifyEvery()), lastVerified, observation, failures, facts);

        if (failures.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(String.join("; ", facts)).setDatabaseSync(observation);
        } else {
            fail(result, observation, String.join("; ", failures));
        }
    }

    /** Runs the verification query when it is due (never succeeded, no verify_every, or the last success is that old). */
    private void verify(DatabaseSync sync, String checkId, Optional<Duration> verifyEvery, Optional<Instant> lastVerified,
            DatabaseSyncObservation.Builder observation, List<String> failures, List<String> facts) {
        Instant now = clock.instant();
        boolean due = verifyEvery.isEmpty() || lastVerified.isEmpty()
                || Duration.between(lastVerified.get(), now).compareTo(verifyEvery.get()) >= 0;
        if (!due) {
            Duration since = Duration.between(lastVerified.get(), now);
            observation.setVerification("not due; last succeeded " + HumanDuration.of(since) + " ago");
            facts.add("verification last succeeded " + HumanDuration.of(since) + " ago (required every "
                    + HumanDuration.of(verifyEvery.get()) + ")");
            return;
        }
        try {
            String answer = sync.verifySecondary();
            remember(checkId, now);
            observation.setVerification("ok: " + answer).setVerifiedAt(timestamp(now));
            facts.add("verification query on the secondary answered " + (answer.isEmpty() ? "(nothing)" : answer));
        } catch (DatabaseSync.Unreachable | DatabaseSync.QueryFailed e) {
            observation.setVerification("failed: " + e.getMessage());
            String last = lastVerified.map(at -> "last succeeded " + HumanDuration.of(Duration.between(at, now)) + " ago")
                    .orElse("it has never succeeded");
            failures.add("the verification query fails on the secondary " + sync.secondary() + " (" + e.getMessage()
                    + "); " + last + verifyEvery.map(every -> ", required every " + HumanDuration.of(every)).orElse(""));
        }
    }

    private static void error(CheckResult.Builder result, DatabaseSyncObservation.Builder observation, String summary) {
        result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(summary).setDatabaseSync(observation);
    }

    private static void fail(CheckResult.Builder result, DatabaseSyncObservation.Builder observation, String summary) {
        result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(summary).setDatabaseSync(observation);
    }

    private Optional<Instant> lastVerified(String checkId) {
        synchronized (STATE_LOCK) {
            String value = load().getProperty(checkId + ".verified-at");
            if (value == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Instant.parse(value.trim()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    private void remember(String checkId, Instant verifiedAt) {
        synchronized (STATE_LOCK) {
            Properties state = load();
            state.setProperty(checkId + ".verified-at", verifiedAt.toString());
            try {
                StringWriter text = new StringWriter();
                state.store(text, "Rampart agent: when the verification query last succeeded on each secondary");
                AtomicFile.write(stateFile, text.toString().getBytes(StandardCharsets.UTF_8), false);
            } catch (IOException e) {
                // the next run verifies again; nothing is lost but the memory
                LOG.warning("cannot remember the verification of " + checkId + ": " + e);
            }
        }
    }

    private Properties load() {
        Properties state = new Properties();
        if (Files.exists(stateFile)) {
            try (Reader reader = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                state.load(reader);
            } catch (IOException e) {
                LOG.warning("cannot read " + stateFile + ": " + e);
            }
        }
        return state;
    }

    private static Optional<Duration> positive(com.google.protobuf.Duration d) {
        return Optional.of(DesiredConfiguration.toDuration(d)).filter(limit -> !limit.isZero() && !limit.isNegative());
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
