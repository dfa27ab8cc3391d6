package io.rampart.agent.collectors;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * What restic and borg repository checks share: list the restore points, run the tool's check, and judge
 * them against the policy (newest age, how many, check passed, the latest snapshot's size against the one before:
 * {@link SnapshotSizeCheck}). Snapshots dated in the future ({@link FutureDates}) are a clock problem: reported,
 * never the latest, the oldest or counted. Where the repository is and its password
 * are local settings; their values never appear in a summary.
 */
abstract class RepositoryCollector implements Collector {

    private final AgentHome home;
    private final LocalChecks settings;
    private final Clock clock;

    RepositoryCollector(AgentHome home, LocalChecks settings, Clock clock) {
        this.home = home;
        this.settings = settings;
        this.clock = clock;
    }

    /** "restic" or "borg". */
    abstract String tool();

    /** "snapshot" or "archive". */
    abstract String noun();

    /** @param onStarted told of every tool process started (see {@link RepositoryMemory#recorder}) */
    abstract RepositoryTool open(RepositoryBinding binding, Path cacheBase, Consumer<ProcessHandle> onStarted);

    /** The repository's locks, judged and tidied (see {@link RepositoryLocks}). */
    abstract RepositoryCheckRound.Locks locks(RepositoryTool repository, RepositoryMemory memory);

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        try {
            RepositoryBinding binding = RepositoryBinding.of(settings, check.getCheckId(), tool());
            RepositoryMemory memory = RepositoryMemory.of(home, binding.checkId());
            RepositoryTool repository = open(binding, cacheBase(home), memory.recorder(clock));
            RepositoryObservation.Builder observation = RepositoryObservation.newBuilder().setTool(repository.version());
            List<RepositorySnapshot> snapshots = repository.snapshots();
            RepositoryCheckRound.Outcome round = RepositoryCheckRound.run(tool(), repository, check.getRepository().getReadDataPercent(),
                    memory, locks(repository, memory), backupWindow(), clock, observation);
            judge(check.getRepository(), repository, snapshots, round, observation, result);
        } catch (RepositoryProblem e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(e.getMessage());
        } catch (RuntimeException e) {
            // e.g. a tool version that prints its listing differently: say so rather than stop the agent
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary(tool() + " gave an answer the agent does not understand: " + e.getClass().getSimpleName());
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    LocalChecks settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    /** The practice's backup window; a value that is not one is a problem of this computer's settings, said as such. */
    private BackupWindow backupWindow() throws RepositoryProblem {
        try {
            return settings.backupWindow();
        } catch (IllegalArgumentException e) {
            throw new RepositoryProblem(e.getMessage() + " (in checks.properties), so the agent cannot tell when the repository may be locked");
        }
    }

    /** Where the tools keep caches and state: under the agent's home, never in a service account's odd home. */
    static Path cacheBase(AgentHome home) {
        return home.directory().resolve("cache");
    }

    private void judge(RepositorySettings policy, RepositoryTool repository, List<RepositorySnapshot> listed,
            RepositoryCheckRound.Outcome round, RepositoryObservation.Builder observation, CheckResult.Builder result) {
        RepositoryBinding binding = repository.binding();
        Instant now = clock.instant();
        List<String> clockProblems = futureDated(listed, now, result);
        List<RepositorySnapshot> snapshots = listed.stream().filter(s -> !FutureDates.isFuture(s.time(), now)).toList();
        // a check put off to stay out of the backup window reports the last one that ran
        RepositoryCheckReport report = round.report().orElse(new RepositoryCheckReport(false, "", "", 0));
        observation.setSnapshotCount(snapshots.size())
                .setCheckPassed(report.passed())
                .setCheckOutput(report.output())
                .setDataReadPercent(report.readPercent());
        List<String> problems = new ArrayList<>();
        String history = "";
        String age = "";
        String size = "";
        if (snapshots.isEmpty()) {
            problems.add("no " + noun() + "s in the repository set in " + binding.repositoryProperty()
                    + (listed.isEmpty() ? "" : " other than ones dated in the future"));
        } else {
            RepositorySnapshot latest = snapshots.get(snapshots.size() - 1);
            RepositorySnapshot oldest = snapshots.get(0);
            observation.setLatestSnapshotAt(timestamp(latest.time()))
                    .setOldestSnapshotAt(timestamp(oldest.time()))
                    .setLatestSnapshotId(latest.id());
            Duration latestAge = Duration.between(latest.time(), now);
            Optional<Duration> maxAge = Optional.of(DesiredConfiguration.toDuration(policy.getMaxAge()))
                    .filter(limit -> !limit.isZero() && !limit.isNegative());
            String subject = "latest " + noun() + " " + latest.label() + " is " + HumanDuration.of(latestAge) + " old";
            if (maxAge.isPresent() && latestAge.compareTo(maxAge.get()) > 0) {
                problems.add(subject + " (limit " + HumanDuration.of(maxAge.get()) + ")");
            }
            age = subject + maxAge.map(limit -> " (limit " + HumanDuration.of(limit) + ")").orElse("");
            history = snapshots.size() + " " + noun() + (snapshots.size() == 1 ? "" : "s") + " back to "
                    + oldest.time().atZone(clock.getZone()).toLocalDate();
            SnapshotSizeCheck.Outcome sizes = SnapshotSizeCheck.judge(repository, noun(), snapshots, policy, observation);
            problems.addAll(sizes.problems());
            size = sizes.description();
        }
        if (snapshots.size() < policy.getMinSnapshots()) {
            problems.add("only " + snapshots.size() + " " + noun() + (snapshots.size() == 1 ? "" : "s") + " (at least "
                    + policy.getMinSnapshots() + " required)");
        }
        if (round.ranNow() && !report.passed()) {
            problems.add(tool() + " check failed: " + report.firstProblem());
        }
        problems.addAll(round.problems());
        result.setRepository(observation);
        if (problems.isEmpty()) {
            List<String> parts = new ArrayList<>(List.of(age, size, history));
            if (round.ranNow()) {
                parts.add("check passed (" + describeRead(report.readPercent()) + ")");
            }
            parts.addAll(round.words());
            parts.addAll(round.warnings());
            // fresh backups beside one dated in the future: the backup host's clock needs a look, the backups are fine
            parts.addAll(clockProblems);
            boolean warn = !round.warnings().isEmpty() || !clockProblems.isEmpty();
            result.setStatus(warn ? CheckStatus.CHECK_STATUS_WARN : CheckStatus.CHECK_STATUS_PASS).setSummary(String.join("; ", parts));
        } else {
            // what else needs a person (a check that never runs) is not hidden behind the failure
            problems.addAll(round.warnings());
            problems.addAll(clockProblems);
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(String.join("; ", problems));
        }
    }

    /**
     * Snapshots dated beyond {@link FutureDates#TOLERANCE} after now (restic backup --time, borg create --timestamp,
     * a backup host whose clock runs ahead): recorded in the result's future_dated and described, never the latest.
     */
    private List<String> futureDated(List<RepositorySnapshot> snapshots, Instant now, CheckResult.Builder result) {
        List<String> described = new ArrayList<>();
        for (RepositorySnapshot snapshot : snapshots) {
            if (FutureDates.isFuture(snapshot.time(), now)) {
                result.addFutureDated(FutureDates.item(noun() + " " + snapshot.label(), snapshot.time(), now));
                described.add(FutureDates.describe(noun() + " " + snapshot.label(), snapshot.time(), now));
            }
        }
        return described;
    }

    private static String describeRead(double percent) {
        if (percent <= 0) {
            return "structure only, no data read";
        }
        return "read " + new BigDecimal(Double.toString(percent)).stripTrailingZeros().toPlainString() + "% of data";
    }

    private static Timestamp timestamp(Instant at) {
        return ProtoTime.timestamp(at);
    }
}
