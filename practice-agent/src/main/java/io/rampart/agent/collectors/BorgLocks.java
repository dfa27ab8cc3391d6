package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;

/**
 * The locks in a local borg repository, read from the files borg 1.x keeps there (src/borg/locking.py):
 * {@code lock.exclusive/} holds one empty file named {@code <host>.<pid>-<thread>} per holder ({@code host} is
 * {@code <hostname>@<node id>}), and {@code lock.roster} is JSON {@code {"shared": [[host, pid, thread]...],
 * "exclusive": [...]}}. borg records no time: the age is the file's modification time. A remote ({@code ssh://})
 * repository's locks are on the server and not looked at.
 *
 * <p>Nothing is removed here: borg removes a lock of a gone process on the same host itself whenever it next locks
 * the repository from that host (it does so on the agent's own next {@code borg list}, which is how the agent's own
 * stale locks go), and it never judges another host's lock; such a lock is reported.
 */
public final class BorgLocks {

    private final RepositoryBinding binding;
    private final RepositoryMemory memory;

    public BorgLocks(RepositoryBinding binding, RepositoryMemory memory) {
        this.binding = binding;
        this.memory = memory;
    }

    /** Every lock in the repository, judged (nothing removed: see the class comment). */
    public List<RepositoryLock> inspectAndTidy(Instant now) {
        Optional<Path> repository = binding.localPath();
        if (repository.isEmpty()) {
            return List.of();
        }
        List<RepositoryLocks.SeenLock> seen = new ArrayList<>();
        Path roster = repository.get().resolve("lock.roster");
        if (Files.isRegularFile(roster)) {
            try {
                JsonObject json = ToolJson.object(ToolJson.parse(Files.readString(roster)));
                Instant modified = Files.getLastModifiedTime(roster).toInstant();
                for (String key : List.of("exclusive", "shared")) {
                    for (JsonElement entry : ToolJson.items(json, key)) {
                        List<JsonElement> holder = ToolJson.items(entry);
                        if (holder.size() >= 2) {
                            seen.add(new RepositoryLocks.SeenLock("lock.roster", key.equals("exclusive"), ToolJson.text(holder.get(0)),
                                    "", ToolJson.number(holder.get(1)), modified));
                        }
                    }
                }
            } catch (IOException | ToolJson.NotJson e) {
                // being rewritten by borg right now: the next round reads it
            }
        }
        Path exclusive = repository.get().resolve("lock.exclusive");
        if (Files.isDirectory(exclusive)) {
            try (Stream<Path> holders = Files.list(exclusive)) {
                for (Path holder : holders.toList()) {
                    String name = holder.getFileName().toString();
                    int dash = name.lastIndexOf('-');
                    int dot = dash > 0 ? name.lastIndexOf('.', dash) : -1;
                    if (dot <= 0) {
                        continue;
                    }
                    String host = name.substring(0, dot);
                    long pid = Long.parseLong(name.substring(dot + 1, dash));
                    boolean listed = seen.stream().anyMatch(l -> l.hostname().equals(host) && l.pid() == pid);
                    if (!listed) {
                        seen.add(new RepositoryLocks.SeenLock("lock.exclusive", true, host, "", pid,
                                Files.getLastModifiedTime(exclusive).toInstant()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // released meanwhile
            }
        }
        List<RepositoryMemory.StartedRun> runs = memory.startedRuns();
        List<RepositoryLock> judged = new ArrayList<>();
        for (RepositoryLocks.SeenLock lock : seen) {
            RepositoryLockState state = RepositoryLocks.judge("borg", lock, runs, longestRun(), now);
            judged.add(RepositoryLocks.proto(lock, state, false));
        }
        return judged;
    }

    private java.time.Duration longestRun() {
        return binding.timeout().plus(ExternalCommand.DEFAULT_INTERRUPT_GRACE).plus(ExternalCommand.DEFAULT_TERMINATE_GRACE);
    }
}
