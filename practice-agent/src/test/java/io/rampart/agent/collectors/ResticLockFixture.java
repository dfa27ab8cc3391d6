package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Catches a real restic in the middle of its work holding its lock: the repository's index files are swapped for
 * named pipes nobody writes to, so restic blocks in "load indexes" right after taking its lock, until it is stopped.
 * Used by the agent's lock tests and the control plane's agreement tests.
 */
public final class ResticLockFixture {

    private final Path repository;
    private final Path passwordFile;
    private final Path setAside;

    public ResticLockFixture(Path repository, Path passwordFile, Path scratch) throws IOException {
        this.repository = repository;
        this.passwordFile = passwordFile;
        this.setAside = Files.createDirectories(scratch.resolve("index-set-aside"));
    }

    public Map<String, String> environment() {
        return Map.of("RESTIC_REPOSITORY", repository.toString(), "RESTIC_PASSWORD_FILE", passwordFile.toString());
    }

    /** Swaps the index for a named pipe: restic opening it waits for a writer that never comes. */
    public void blockIndex() throws IOException {
        try (Stream<Path> files = Files.list(repository.resolve("index"))) {
            for (Path index : files.toList()) {
                Files.move(index, setAside.resolve(index.getFileName()));
                ExternalCommand.Outcome fifo = ExternalCommand.of(List.of("mkfifo", index.toString())).run();
                assertThat(fifo.succeeded()).as(fifo.output()).isTrue();
            }
        }
    }

    public void unblockIndex() throws IOException {
        try (Stream<Path> files = Files.list(setAside)) {
            for (Path index : files.toList()) {
                Path place = repository.resolve("index").resolve(index.getFileName());
                Files.deleteIfExists(place);
                Files.move(index, place);
            }
        }
    }

    /** The lock files in the (local) repository. */
    public List<Path> locks() throws IOException {
        try (Stream<Path> files = Files.list(repository.resolve("locks"))) {
            return new ArrayList<>(files.toList());
        }
    }

    /**
     * Leaves a stale lock as a killed restic does: blocks the index, starts the command (through ExternalCommand,
     * told to {@code onStarted}), waits until its lock is in the repository, kills it with SIGKILL, unblocks the index
     * and returns the pid of the process that held the lock.
     */
    public long leaveStaleLock(List<String> command, Consumer<ProcessHandle> onStarted) throws IOException {
        blockIndex();
        AtomicReference<ProcessHandle> started = new AtomicReference<>();
        CompletableFuture<ExternalCommand.Outcome> run = CompletableFuture.supplyAsync(() -> {
            try {
                return ExternalCommand.of(command).environment(environment()).withoutInherited("RESTIC_")
                        .timeout(Duration.ofMinutes(2)).onStarted(onStarted.andThen(started::set)).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Path> before = locks();
        // the lock file is written in place: wait until restic can read it back whole
        await().atMost(Duration.ofSeconds(30)).until(() -> locks().stream().filter(lock -> !before.contains(lock))
                .anyMatch(this::readable));
        ProcessHandle process = started.get();
        process.destroyForcibly();
        run.join();
        unblockIndex();
        return process.pid();
    }

    private boolean readable(Path lock) {
        try {
            return Files.size(lock) > 0 && ExternalCommand.of(List.of("restic", "--no-cache", "cat", "lock", lock.getFileName().toString(),
                    "--no-lock")).environment(environment()).withoutInherited("RESTIC_").timeout(Duration.ofSeconds(30)).run().succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this machine lets a test give a process its own host name (unshare --uts, as root). */
    public static boolean canUseOwnHostname() {
        try {
            return ExternalCommand.of(List.of("unshare", "--uts", "hostname", "reception-pc")).timeout(Duration.ofSeconds(10)).run().succeeded();
        } catch (IOException e) {
            return false;
        }
    }
}
