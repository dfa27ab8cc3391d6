package io.rampart.agent.collectors;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * A borg repository: {@code borg list --json} (how recent, how many archives), {@code borg info --json} of the latest
 * archive and the one before it of the same host and paths (how big) and {@code borg check}
 * ({@code --verify-data} when the policy asks to read data back). Local settings: {@code check.<id>.repository}
 * (path or ssh:// URL), {@code check.<id>.password-file} (the passphrase), optionally {@code check.<id>.executable}
 * and {@code check.<id>.timeout}.
 */
public final class BorgRepositoryCollector extends RepositoryCollector {

    public BorgRepositoryCollector(AgentHome home, LocalChecks settings, Clock clock) {
        super(home, settings, clock);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_BORG_REPOSITORY;
    }

    @Override
    String tool() {
        return "borg";
    }

    @Override
    String noun() {
        return "archive";
    }

    @Override
    RepositoryTool open(RepositoryBinding binding, Path cacheBase, Consumer<ProcessHandle> onStarted) {
        return new BorgRepository(binding, cacheBase.resolve("borg"), onStarted);
    }

    @Override
    RepositoryCheckRound.Locks locks(RepositoryTool repository, RepositoryMemory memory) {
        return new BorgLocks(repository.binding(), memory)::inspectAndTidy;
    }
}
