package io.rampart.agent.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.rampart.agent.collectors.Collector;
import io.rampart.agent.collectors.FutureDates;
import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.collectors.RepositoryCheckSchedule;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestObservation;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * Restores the newest backup of another check (the policy's {@code source_check_id}) into a scratch folder,
 * verifies it and times it against the downtime objective. How to restore follows from the source check's
 * local settings (see {@link #methods}). The scratch folder is {@code check.<id>.scratch} or the agent home's
 * {@code restore-scratch/}; each run restores into a fresh folder inside it, deleted afterwards whatever happened.
 */
public final class RestoreTestCollector implements Collector {

    public static final String SCRATCH = "scratch";
    private static final Logger LOG = Logger.getLogger(RestoreTestCollector.class.getName());

    private final AgentHome home;
    private final LocalChecks settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final List<RestoreMethod> methods;

    public RestoreTestCollector(AgentHome home, LocalChecks settings, Clock clock) {
        this(home, settings, clock, System::nanoTime);
    }

    /** @param nanoTime the stopwatch for the restore duration (tests replace it) */
    RestoreTestCollector(AgentHome home, LocalChecks settings, Clock clock, LongSupplier nanoTime) {
        this.home = home;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
        // The restore methods, first match wins. A new one (e.g. a PostgreSQL dump restore) is added here.
        this.methods = List.of(
                RepositoryRestore.restic(home, clock),
                RepositoryRestore.borg(home, clock),
                new PostgresDumpRestore(clock),
                new FolderCopy(clock));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_RESTORE_TEST;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        try {
            test(check, result);
        } catch (RestoreProblem e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(e.getMessage());
        } catch (RuntimeException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the restore test could not be completed: " + e.getClass().getSimpleName());
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    /**
     * A restore that locks its repository (restic restore, borg extract) waits until it can run outside the practice's
     * backup window and end before it opens again (see {@link RepositoryCheckSchedule}).
     */
    @Override
    public Optional<Instant> deferredUntil(CheckDefinition check) {
        return lockingDecision(check).filter(d -> !d.now() && !d.neverFits()).flatMap(RepositoryCheckSchedule.Decision::runsAt)
                .map(ZonedDateTime::toInstant);
    }

    private Optional<RepositoryCheckSchedule.Decision> lockingDecision(CheckDefinition check) {
        String source = check.getRestoreTest().getSourceCheckId().trim();
        Optional<Duration> limit = methods.stream().filter(m -> m.supports(settings, source)).findFirst()
                .flatMap(m -> m.lockingTimeLimit(settings, source));
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        BackupWindow window;
        try {
            window = settings.backupWindow();
        } catch (IllegalArgumentException e) {
            // run() refuses with the setting's problem: a restore must never lock a repository at an unknown hour
            return Optional.empty();
        }
        return Optional.of(RepositoryCheckSchedule.decide(window, clock.instant().atZone(clock.getZone()), limit.get()));
    }

    private void test(CheckDefinition check, CheckResult.Builder result) throws RestoreProblem {
        String sourceId = check.getRestoreTest().getSourceCheckId().trim();
        boolean locks = methods.stream().filter(m -> m.supports(settings, sourceId)).findFirst()
                .flatMap(m -> m.lockingTimeLimit(settings, sourceId)).isPresent();
        if (locks) {
            try {
                settings.backupWindow();
            } catch (IllegalArgumentException e) {
                throw new RestoreProblem(e.getMessage() + " (in checks.properties), so the agent cannot tell when restoring "
                        + sourceId + " may lock its repository");
            }
        }
        if (lockingDecision(check).filter(RepositoryCheckSchedule.Decision::neverFits).isPresent()) {
            String source = check.getRestoreTest().getSourceCheckId().trim();
            throw new RestoreProblem("the restore test never runs: restoring " + source + " locks its repository for up to its time limit, "
                    + "which never ends before the backup window " + settings.backupWindow() + " opens again (shorten "
                    + LocalChecks.propertyFor(source, "timeout") + " or the backup window)");
        }
        RestoreTestSettings policy = check.getRestoreTest();
        String source = policy.getSourceCheckId().trim();
        if (source.isEmpty()) {
            throw new RestoreProblem("the policy of restore test " + check.getCheckId() + " names no check to restore from");
        }
        RestoreMethod method = methods.stream().filter(m -> m.supports(settings, source)).findFirst()
                .orElseThrow(() -> new RestoreProblem("this computer does not know where the backups of check " + source
                        + " are, so it cannot restore them: set " + LocalChecks.propertyFor(source) + "=<folder> or "
                        + LocalChecks.propertyFor(source, "repository") + "=<repository> (with "
                        + LocalChecks.propertyFor(source, RepositoryRestore.TOOL) + "=restic|borg) in checks.properties"));
        Path scratchBase = scratchBase(check.getCheckId(), method.sourceLocation(settings, source));

        RestoreTestObservation.Builder observation = RestoreTestObservation.newBuilder()
                .setSourceCheckId(source)
                .setMethod(method.name());
        Path scratch;
        try {
            scratch = Files.createTempDirectory(scratchBase, "restore-" + check.getCheckId() + "-");
        } catch (IOException e) {
            throw new RestoreProblem("the agent cannot create a scratch folder in the one set in "
                    + LocalChecks.propertyFor(check.getCheckId(), SCRATCH) + " (or its home's restore-scratch/): "
                    + e.getClass().getSimpleName());
        }
        Restored restored;
        Duration took;
        boolean cleaned;
        try {
            long start = nanoTime.getAsLong();
            restored = method.restore(settings, source, scratch);
            took = Duration.ofNanos(nanoTime.getAsLong() - start);
        } finally {
            cleaned = delete(scratch);
        }

        observation.setRestoredItem(restored.item())
                .setFilesVerified(restored.filesVerified())
                .setBytesVerified(restored.bytesVerified())
                .setRestoreDuration(DesiredConfiguration.toProto(took))
                .setVerification(restored.failure().orElse(restored.verification()));
        result.setRestoreTest(observation);

        Optional<Duration> objective = Optional.of(DesiredConfiguration.toDuration(policy.getMaxRestoreDuration()))
                .filter(limit -> !limit.isZero() && !limit.isNegative());
        List<String> problems = new ArrayList<>();
        restored.failure().ifPresent(problems::add);
        objective.filter(limit -> took.compareTo(limit) > 0).ifPresent(limit -> problems.add(
                "restore took " + HumanText.duration(took) + ", the downtime objective is " + HumanText.duration(limit)));
        String leftover = (cleaned ? "" : " (the scratch folder could not be removed completely)") + passedOver(restored, result);
        if (problems.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("restored " + restored.item() + " of " + source + " in "
                    + HumanText.duration(took) + objective.map(limit -> " (objective " + HumanText.duration(limit) + ")").orElse("")
                    + " and verified " + restored.filesVerified() + (restored.filesVerified() == 1 ? " file, " : " files, ")
                    + HumanText.bytes(restored.bytesVerified()) + " by " + method.name() + leftover);
        } else {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(String.join("; ", problems) + leftover);
        }
    }

    /** Backups the method passed over because they are dated in the future: in the result and its summary. */
    private static String passedOver(Restored restored, CheckResult.Builder result) {
        result.addAllFutureDated(restored.futureDated());
        return restored.futureDated().stream().map(item -> "; not restored: " + FutureDates.describe(item.getName(),
                ProtoTime.instant(item.getDatedAt()), ProtoTime.instant(item.getSeenAt()))).collect(Collectors.joining());
    }

    /** The configured scratch folder, created when missing, and never the source or inside it. */
    private Path scratchBase(String checkId, Optional<Path> sourceLocation) throws RestoreProblem {
        String property = LocalChecks.propertyFor(checkId, SCRATCH);
        Path base = settings.setting(checkId, SCRATCH).map(Path::of).orElse(home.directory().resolve("restore-scratch"));
        try {
            Files.createDirectories(base);
            Path realBase = base.toRealPath();
            if (sourceLocation.isPresent() && Files.exists(sourceLocation.get())) {
                Path realSource = sourceLocation.get().toRealPath();
                if (realBase.startsWith(realSource)) {
                    throw new RestoreProblem("the scratch folder must not be the backup source or inside it: set "
                            + property + "=<another folder> in checks.properties");
                }
            }
            return realBase;
        } catch (IOException e) {
            throw new RestoreProblem("the scratch folder (" + property + ", or the agent home's restore-scratch/) cannot be created: "
                    + e.getClass().getSimpleName());
        }
    }

    private static boolean delete(Path scratch) {
        try {
            RestoredFiles.deleteRecursively(scratch);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warning("could not remove the restore scratch folder " + scratch + ": " + e);
            return false;
        }
    }
}
