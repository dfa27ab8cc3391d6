package io.rampart.agent.collectors;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * A restic repository: {@code restic snapshots} (how recent, how many), {@code restic stats} of the latest snapshot
 * and the one before it of the same host and paths (how big; restic 0.17+ snapshots carry it in their summary) and
 * {@code restic check} (with {@code --read-data-subset} when the policy asks to read data back). Local settings:
 * {@code check.<id>.repository} (path or restic URL), {@code check.<id>.password-file}, optionally
 * {@code check.<id>.executable} and {@code check.<id>.timeout}.
 */
public final class ResticRepositoryCollector extends RepositoryCollector {

    public ResticRepositoryCollector(AgentHome home, LocalChecks settings, Clock clock) {
        super(home, settings, clock);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_RESTIC_REPOSITORY;
    }

    @Override
    String tool() {
        return "restic";
    }

    @Override
    String noun() {
        return "snapshot";
    }

    @Override
    RepositoryTool open(RepositoryBinding binding, Path cacheBase, Consumer<ProcessHandle> onStarted) {
        return new ResticRepository(binding, cacheBase.resolve("restic"), onStarted);
    }

    @Override
    RepositoryCheckRound.Locks locks(RepositoryTool repository, RepositoryMemory memory) {
        return new ResticLocks((ResticRepository) repository, memory)::inspectAndTidy;
    }
}
