package io.rampart.agent.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.rampart.agent.collectors.BorgRepository;
import io.rampart.agent.collectors.ExternalCommand;
import io.rampart.agent.collectors.FutureDates;
import io.rampart.agent.collectors.RepositoryBinding;
import io.rampart.agent.collectors.RepositoryMemory;
import io.rampart.agent.collectors.RepositoryProblem;
import io.rampart.agent.collectors.RepositorySnapshot;
import io.rampart.agent.collectors.RepositoryTool;
import io.rampart.agent.collectors.ResticRepository;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * Restores the latest snapshot (the newest not dated in the future) of a restic repository ({@code restic restore --verify}) or the latest archive of
 * a borg repository ({@code borg extract}, run in the scratch folder), then reads every restored file back.
 * Chosen for a source check with {@code check.<source>.repository} and {@code check.<source>.tool=restic|borg}
 * (restic when unset).
 */
public final class RepositoryRestore implements RestoreMethod {

    public static final String TOOL = "tool";
    private static final Pattern RESTIC_BOILERPLATE = Pattern.compile("restoring <Snapshot.*|verifying files in .*|finished verifying.*");

    /** Opens the tool on a repository, telling {@code onStarted} of every process it starts. */
    @FunctionalInterface
    private interface Opener {
        RepositoryTool open(RepositoryBinding binding, Path cache, Consumer<ProcessHandle> onStarted);
    }

    private final String tool;
    private final String name;
    private final Opener open;
    private final Path cacheBase;
    private final Clock clock;
    private final Optional<AgentHome> home;

    private RepositoryRestore(String tool, String name, Opener open, Path cacheBase, Clock clock, Optional<AgentHome> home) {
        this.tool = tool;
        this.name = name;
        this.open = open;
        this.cacheBase = cacheBase;
        this.clock = clock;
        this.home = home;
    }

    /**
     * The agent's restic restore: its processes are remembered under the agent's home, so a lock one of them leaves
     * behind is known as the agent's own (and removed) rather than blamed on someone else.
     */
    public static RepositoryRestore restic(AgentHome home, Clock clock) {
        return new RepositoryRestore("restic", "restic-restore", ResticRepository::new, home.directory().resolve("cache").resolve("restic"),
                clock, Optional.of(home));
    }

    /** The agent's borg extract, its processes remembered as {@link #restic(AgentHome, Clock)}'s are. */
    public static RepositoryRestore borg(AgentHome home, Clock clock) {
        return new RepositoryRestore("borg", "borg-extract", BorgRepository::new, home.directory().resolve("cache").resolve("borg"),
                clock, Optional.of(home));
    }

    /** @param cacheBase the agent's cache folder; restic's cache goes into {@code restic/} in it */
    public static RepositoryRestore restic(Path cacheBase) {
        return restic(cacheBase, Clock.systemUTC());
    }

    /** @param clock tells which snapshots are dated in the future (never restored) */
    public static RepositoryRestore restic(Path cacheBase, Clock clock) {
        return new RepositoryRestore("restic", "restic-restore", ResticRepository::new, cacheBase.resolve("restic"), clock, Optional.empty());
    }

    /** @param cacheBase the agent's cache folder; borg's base folder is {@code borg/} in it */
    public static RepositoryRestore borg(Path cacheBase) {
        return borg(cacheBase, Clock.systemUTC());
    }

    /** @param clock tells which archives are dated in the future (never restored) */
    public static RepositoryRestore borg(Path cacheBase, Clock clock) {
        return new RepositoryRestore("borg", "borg-extract", BorgRepository::new, cacheBase.resolve("borg"), clock, Optional.empty());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean supports(LocalChecks settings, String sourceCheckId) {
        return settings.setting(sourceCheckId, RepositoryBinding.REPOSITORY).isPresent()
                && settings.setting(sourceCheckId, TOOL).orElse("restic").trim().equalsIgnoreCase(tool);
    }

    @Override
    public Optional<Path> sourceLocation(LocalChecks settings, String sourceCheckId) {
        return settings.setting(sourceCheckId, RepositoryBinding.REPOSITORY)
                .filter(RepositoryBinding::isLocal)
                .map(repository -> Path.of(repository.startsWith("local:") ? repository.substring("local:".length()) : repository));
    }

    @Override
    public Optional<Duration> lockingTimeLimit(LocalChecks settings, String sourceCheckId) {
        try {
            return Optional.of(RepositoryBinding.of(settings, sourceCheckId, tool).timeout());
        } catch (RepositoryProblem e) {
            // the restore itself will say what is wrong with the settings
            return Optional.empty();
        }
    }

    @Override
    public Restored restore(LocalChecks settings, String sourceCheckId, Path scratch) throws RestoreProblem {
        try {
            Consumer<ProcessHandle> onStarted = home.map(h -> RepositoryMemory.of(h, sourceCheckId).recorder(clock))
                    .orElse(process -> {});
            RepositoryTool repository = open.open(RepositoryBinding.of(settings, sourceCheckId, tool), cacheBase, onStarted);
            List<RepositorySnapshot> listed = repository.snapshots();
            String noun = tool.equals("restic") ? "snapshot" : "archive";
            Instant now = clock.instant();
            // a snapshot dated in the future is a clock problem, not the newest backup: the newest honest one is restored
            List<FutureDatedItem> futureDated = listed.stream().filter(s -> FutureDates.isFuture(s.time(), now))
                    .map(s -> FutureDates.item(noun + " " + s.label(), s.time(), now)).toList();
            List<RepositorySnapshot> snapshots = listed.stream().filter(s -> !FutureDates.isFuture(s.time(), now)).toList();
            if (snapshots.isEmpty()) {
                return Restored.failed("nothing", 0, 0, "", "the repository of " + sourceCheckId + " has no " + noun + " to restore"
                        + (listed.isEmpty() ? "" : " dated before now")).withFutureDated(futureDated);
            }
            return restore(repository, snapshots.get(snapshots.size() - 1), noun, scratch).withFutureDated(futureDated);
        } catch (RepositoryProblem e) {
            throw new RestoreProblem(e.getMessage());
        } catch (IOException e) {
            throw new RestoreProblem("the restored files in the scratch folder cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private Restored restore(RepositoryTool repository, RepositorySnapshot latest, String noun, Path scratch)
            throws RepositoryProblem, IOException {
        String item = noun + " " + latest.label();
        ExternalCommand.Outcome outcome = repository.restore(latest, scratch);
        String verification = tool.equals("restic") ? "restic restore --verify passed; every restored file read back"
                : "borg extract checked every chunk; every restored file read back";
        if (!outcome.succeeded()) {
            String said = ExternalCommand.meaningfulLines(outcome.output(), tool.equals("restic") ? RESTIC_BOILERPLATE : null)
                    .stream().findFirst().orElse("exit code " + outcome.exitCode());
            return Restored.failed(item, 0, 0, verification, (tool.equals("restic") ? "restic restore" : "borg extract")
                    + " of " + item + " failed: " + said);
        }
        RestoredFiles.ReadBack readBack = RestoredFiles.readAll(scratch);
        if (readBack.unreadable().isPresent()) {
            return Restored.failed(item, readBack.files(), readBack.bytes(), verification, readBack.unreadable().get());
        }
        if (readBack.files() == 0) {
            return Restored.failed(item, 0, 0, verification, "restoring " + item + " brought back no files");
        }
        return Restored.verified(item, readBack.files(), readBack.bytes(), verification);
    }
}
