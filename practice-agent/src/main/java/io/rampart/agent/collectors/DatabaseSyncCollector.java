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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import io.rampart.agent.collectors.database.DatabaseSync;
import io.rampart.agent.collectors.database.PrimaryPosition;
import io.rampart.agent.collectors.database.ReplicationFacts;
import io.rampart.agent.collectors.database.StandbyState;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;
import io.rampart.protocol.agent.v1.SecondaryRole;

/**
 * A database replicated to a secondary server: is the secondary really a standby of the primary, how far
 * behind the primary's WAL position it is (bytes, and time on the primary's clock) against the data-loss objective
 * (max_lag), does its WAL receiver stream (or is it fed by log shipping), is replay paused, and does a
 * verification query succeed on it often enough (verify_every)? The facts are classified once
 * ({@link ReplicationFacts}) into the event; the summary is made from them ({@link DatabaseSyncWords}), as the
 * control plane's rule makes its reason. When the verification last succeeded is remembered in the agent home
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

    private void examine(DatabaseSync engine, CheckDefinition check, CheckResult.Builder result) {
        DatabaseSyncSettings settings = check.getDatabaseSync();
        DatabaseSyncObservation.Builder observation = DatabaseSyncObservation.newBuilder().setEngine(engine.engine())
                .setPrimaryServer(engine.primary()).setSecondaryServer(engine.secondary());
        Optional<Instant> lastVerified = lastVerified(check.getCheckId());
        lastVerified.ifPresent(at -> observation.setVerifiedAt(timestamp(at)));

        // the primary first: the secondary is then measured against a position it has had time to reach
        PrimaryPosition primary = null;
        String primaryUnreachable = null;
        try {
            primary = engine.readPrimary();
        } catch (DatabaseSync.Unreachable e) {
            primaryUnreachable = e.getMessage();
        } catch (DatabaseSync.QueryFailed e) {
            error(result, observation, "the primary " + engine.primary() + " cannot report its WAL position: " + e.getMessage());
            return;
        }
        StandbyState standby;
        try {
            standby = engine.readSecondary();
            observation.setSecondaryReachable(true);
        } catch (DatabaseSync.Unreachable e) {
            error(result, observation, primaryUnreachable == null ? e.getMessage() : e.getMessage() + "; " + primaryUnreachable);
            return;
        } catch (DatabaseSync.QueryFailed e) {
            observation.setSecondaryReachable(true);
            error(result, observation, "the secondary " + engine.secondary() + " cannot report its replication state: "
                    + e.getMessage());
            return;
        }
        Optional<Duration> maxLag = positive(settings.getMaxLag());
        if (primary == null) {
            observation.setPrimaryUnreachable(true).setPrimaryError(primaryUnreachable);
            DatabaseSyncWords.Judgement judgement = DatabaseSyncWords.judge(observation.build(), maxLag);
            result.setStatus(judgement.status()).setSummary(judgement.sentence()).setDatabaseSync(observation);
            return;
        }
        ReplicationFacts.into(primary, standby, observation);
        DatabaseSyncWords.Judgement replication = DatabaseSyncWords.judge(observation.build(), maxLag);
        if (observation.getSecondaryRole() != SecondaryRole.SECONDARY_ROLE_STANDBY) {
            result.setStatus(replication.status()).setSummary(replication.sentence()).setDatabaseSync(observation);
            return;
        }
        List<DatabaseSyncWords.Judgement> parts = new ArrayList<>();
        parts.add(replication);
        verify(engine, check.getCheckId(), positive(settings.getVerifyEvery()), lastVerified, observation, parts);

        // as the control plane combines its parts: all when all pass, otherwise those that do not pass, worst first
        CheckStatus worst = parts.stream().map(DatabaseSyncWords.Judgement::status).max(Comparator.comparingInt(DatabaseSyncCollector::severity))
                .orElse(CheckStatus.CHECK_STATUS_PASS);
        List<String> shown = parts.stream().filter(p -> worst == CheckStatus.CHECK_STATUS_PASS || p.status() != CheckStatus.CHECK_STATUS_PASS)
                .sorted(Comparator.comparingInt((DatabaseSyncWords.Judgement p) -> severity(p.status())).reversed())
                .map(DatabaseSyncWords.Judgement::sentence).distinct().toList();
        result.setStatus(worst).setSummary(String.join("; ", shown)).setDatabaseSync(observation);
    }

    private static int severity(CheckStatus status) {
        return switch (status) {
            case CHECK_STATUS_PASS -> 0;
            case CHECK_STATUS_WARN -> 1;
            case CHECK_STATUS_FAIL -> 2;
            default -> 3;
        };
    }

    /** Runs the verification query when it is due (never succeeded, no verify_every, or the last success is that old). */
    private void verify(DatabaseSync sync, String checkId, Optional<Duration> verifyEvery, Optional<Instant> lastVerified,
            DatabaseSyncObservation.Builder observation, List<DatabaseSyncWords.Judgement> parts) {
        Instant now = clock.instant();
        boolean due = verifyEvery.isEmpty() || lastVerified.isEmpty()
                || Duration.between(lastVerified.get(), now).compareTo(verifyEvery.get()) >= 0;
        if (!due) {
            Duration since = Duration.between(lastVerified.get(), now);
            observation.setVerification("not due; last succeeded " + HumanDuration.of(since) + " ago");
            parts.add(pass("verification last succeeded " + HumanDuration.of(since) + " ago (required every "
                    + HumanDuration.of(verifyEvery.get()) + ")"));
            return;
        }
        try {
            String answer = sync.verifySecondary();
            remember(checkId, now);
            observation.setVerification("ok: " + answer).setVerifiedAt(timestamp(now));
            parts.add(pass("verification query on the secondary answered " + (answer.isEmpty() ? "(nothing)" : answer)));
        } catch (DatabaseSync.Unreachable | DatabaseSync.QueryFailed e) {
            observation.setVerification("failed: " + e.getMessage());
            String last = lastVerified.map(at -> "last succeeded " + HumanDuration.of(Duration.between(at, now)) + " ago")
                    .orElse("it has never succeeded");
            parts.add(new DatabaseSyncWords.Judgement(CheckStatus.CHECK_STATUS_FAIL, "the verification query fails on the secondary "
                    + sync.secondary() + " (" + e.getMessage() + "); " + last
                    + verifyEvery.map(every -> ", required every " + HumanDuration.of(every)).orElse("")));
        }
    }

    private static DatabaseSyncWords.Judgement pass(String sentence) {
        return new DatabaseSyncWords.Judgement(CheckStatus.CHECK_STATUS_PASS, sentence);
    }

    private static void error(CheckResult.Builder result, DatabaseSyncObservation.Builder observation, String summary) {
        result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(summary).setDatabaseSync(observation);
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
        return ProtoTime.timestamp(at);
    }
}
