package io.rampart.agent.collectors;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.Consumer;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
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

    /**
     * borg has no lock-free read ({@code --bypass-lock} is documented for read-only storage only): {@code borg list}
     * and {@code borg info} take borg's shared lock, which makes the practice's {@code borg create} fail after its
     * one-second lock wait. So inside the practice's backup window the whole check waits until the window closes.
     */
    @Override
    public Optional<Instant> deferredUntil(CheckDefinition check) {
        BackupWindow window;
        try {
            window = settings().backupWindow();
        } catch (IllegalArgumentException e) {
            // run() reports the setting's problem
            return Optional.empty();
        }
        ZonedDateTime now = clock().instant().atZone(clock().getZone());
        if (window.isNone() || !window.contains(now)) {
            return Optional.empty();
        }
        return window.untilClosed(now).map(wait -> now.plus(wait).toInstant());
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
