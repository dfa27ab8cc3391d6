package io.rampart.agent.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.FileOwner;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.AgentEvent;

/**
 * The durable queue of events not yet acknowledged by the control plane: one file per event,
 * written before anything is sent and deleted only once the control plane holds it, so an agent
 * cut off for days (or restarted) still delivers everything.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    private static final String EVENT_SUFFIX = ".event";
    // Heartbeats are marked in their file name so that compaction can find them without reading files.
    private static final String HEARTBEAT_SUFFIX = ".heartbeat" + EVENT_SUFFIX;
    /** Enough for weeks offline: a heartbeat a minute and a few dozen check results a day. */
    public static final int DEFAULT_MAX_EVENTS = 100_000;
    /** A file larger than this is not even read (it could not be delivered, and could exhaust memory), in bytes. */
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    private static final Pattern SAFE_EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Path directory;
    private final int maxEvents;
    private final SetAside setAside;
    private long compactedHeartbeats;
    // File names sort by occurrence time then event id, so the TreeSet is the delivery order.
    private final TreeSet<String> fileNames = new TreeSet<>();
    private final Map<String, String> fileNameByEventId = new HashMap<>();
    // files that could neither be read nor set aside: skipped until the agent restarts, so they cost one warning
    private final Set<String> stuck = new HashSet<>();

    private Outbox(Path directory, int maxEvents, Clock clock) {
        this.directory = directory;
        this.maxEvents = maxEvents;
        this.setAside = SetAside.of(directory, clock);
    }

    /** Opens (creating if needed) the outbox in this directory and picks up every event left there. */
    public static Outbox open(Path directory) {
        return open(directory, DEFAULT_MAX_EVENTS);
    }

    /**
     * Opens the outbox, bounded to about {@code maxEvents}: when it is full, the oldest heartbeats
     * make room (the newest one stays). Check results are never dropped, even past the bound:
     * they are the evidence; a heartbeat only says the agent was alive, which later ones say too.
     */
    public static Outbox open(Path directory, int maxEvents) {
        return open(directory, maxEvents, Clock.systemUTC());
    }

    /** As {@link #open(Path, int)}, with the clock that dates events set aside. */
    public static Outbox open(Path directory, int maxEvents, Clock clock) {
        try {
            // made by `rampart-agent report` as root, it must still be the service's
            FileOwner.of(directory).createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the outbox " + directory, e);
        }
        Outbox outbox = new Outbox(directory, maxEvents, clock);
        try {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    if (AtomicFile.isTemp(file)) {
                        // left by a crash between write and rename: the event was never acknowledged
                        // as written (append did not return), so it is safe to drop
                        Files.deleteIfExists(file);
                    } else if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(EVENT_SUFFIX)) {
                        outbox.index(file.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the outbox " + directory, e);
        }
        return outbox;
    }

    /** Stores the event durably; once this returns the event survives a crash. */
    public synchronized void append(AgentEvent event) {
        if (!SAFE_EVENT_ID.matcher(event.getEventId()).matches()) {
            // the id becomes part of a file name
            throw new IllegalArgumentException("an event_id must be letters, digits, '-' or '_': " + event.getEventId());
        }
        if (fileNameByEventId.containsKey(event.getEventId())) {
            return; // already waiting: the event id is its identity for ever
        }
        if (fileNames.size() >= maxEvents) {
            compactHeartbeats();
        }
        String fileName = fileNameFor(event);
        try {
            AtomicFile.write(directory.resolve(fileName), event.toByteArray(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event " + event.getEventId() + " to the outbox", e);
        }
        index(fileName);
    }

    /**
     * The oldest events, at most {@code max}, without removing them. Picks up events that another
     * process (the `report` command run by backup software) wrote into the outbox meanwhile.
     */
    public synchronized List<AgentEvent> peek(int max) {
        return peek(max, Long.MAX_VALUE);
    }

    /**
     * The oldest events, at most {@code maxEvents} and at most {@code maxBytes} of serialised events together,
     * but always the oldest one whatever its size (so the caller can set aside one too large to send). A file the
     * agent cannot read (another user's, damaged) is set aside with the reason instead of stopping every round.
     */
    public synchronized List<AgentEvent> peek(int maxEvents, long maxBytes) {
        pickUpNewFiles();
        List<AgentEvent> events = new ArrayList<>();
        long bytes = 0;
        for (String fileName : List.copyOf(fileNames)) {
            if (events.size() >= maxEvents) {
                break;
            }
            Path file = directory.resolve(fileName);
            byte[] content;
            try {
                long size = Files.size(file);
                if (size > MAX_FILE_BYTES) {
                    setAsideUnreadable(fileName, "the file is " + size + " bytes, far more than any event (at most "
                            + EventLimits.MAX_EVENT_BYTES + " bytes can be delivered); it is not read");
                    continue;
                }
                if (!events.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                forget(fileName); // taken away by another process (e.g. `set-aside`), nothing to send
                continue;
            } catch (IOException e) {
                setAsideUnreadable(fileName, "the agent cannot read this outbox file (" + e
                        + "); if another user wrote it, give it to " + owner() + " and run `rampart-agent set-aside retry`");
                continue;
            }
            try {
                events.add(AgentEvent.parseFrom(content));
                bytes += content.length;
            } catch (InvalidProtocolBufferException e) {
                setAsideUnreadable(fileName, "the file is not a readable event: " + e.getMessage());
            }
        }
        return events;
    }

    /** Forgets events the control plane has acknowledged; unknown ids are ignored. */
    public synchronized void remove(Collection<String> eventIds) {
        boolean removedAny = false;
        for (String eventId : eventIds) {
            String fileName = fileNameByEventId.remove(eventId);
            if (fileName != null) {
                fileNames.remove(fileName);
                try {
                    Files.deleteIfExists(directory.resolve(fileName));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + fileName + " from the outbox", e);
                }
                removedAny = true;
            }
        }
        if (removedAny) {
            AtomicFile.syncDirectory(directory);
        }
    }

    public synchronized int size() {
        return fileNames.size();
    }

    private void pickUpNewFiles() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + EVENT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!fileNames.contains(name) && !stuck.contains(name) && Files.isRegularFile(file)) {
                    index(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outbox " + directory, e);
        }
    }

    /** Heartbeats dropped to keep the outbox within its bound since it was opened. */
    public synchronized long compactedHeartbeats() {
        return compactedHeartbeats;
    }

    private void compactHeartbeats() {
        List<String> heartbeats = fileNames.stream().filter(name -> name.endsWith(HEARTBEAT_SUFFIX)).toList();
        // drop the oldest heartbeats down to a tenth below the bound, so compaction does not run on every append
        int excess = fileNames.size() - maxEvents + 1 + maxEvents / 10;
        List<String> oldest = heartbeats.subList(0, Math.max(0, Math.min(excess, heartbeats.size() - 1)));
        if (oldest.isEmpty()) {
            LOG.warning("the outbox holds " + fileNames.size() + " events, over its bound of " + maxEvents
                    + ", and all are check results, which are never dropped; is the control plane reachable?");
            return;
        }
        remove(oldest.stream().map(Outbox::eventIdOf).toList());
        compactedHeartbeats += oldest.size();
        LOG.warning("the outbox reached its bound of " + maxEvents + " events: dropped the " + oldest.size()
                + " oldest heartbeats (check results are kept)");
    }

    /**
     * Sets aside a waiting event with the reason next to it (see {@link SetAside}), so one bad event never blocks
     * the rest; it is not sent again until a person puts it back. Unknown ids are ignored.
     *
     * @throws UncheckedIOException when the event cannot be moved (it then stays in the outbox)
     */
    public synchronized void setAside(String eventId, String reason) {
        String fileName = fileNameByEventId.get(eventId);
        if (fileName == null) {
            return;
        }
        try {
            setAside.put(directory.resolve(fileName), eventId, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside event " + eventId + " in " + setAside.directory(), e);
        }
        forget(fileName);
        LOG.log(Level.WARNING, "set aside event {0} in {1}: {2}", new Object[] { eventId, setAside.directory(), reason });
    }

    /** The same as {@link #setAside(String, String)} (its name before events were set aside for other reasons too). */
    public void quarantine(String eventId, String reason) {
        setAside(eventId, reason);
    }

    /** The events set aside from this outbox. */
    public SetAside setAsideEvents() {
        return setAside;
    }

    /** Where set-aside events are kept ({@code outbox/set-aside/}). */
    public Path rejectedDirectory() {
        return setAside.directory();
    }

    private void setAsideUnreadable(String fileName, String reason) {
        try {
            setAside.put(directory.resolve(fileName), eventIdOf(fileName), reason);
            LOG.log(Level.WARNING, "set aside outbox file {0} in {1}: {2}", new Object[] { fileName, setAside.directory(), reason });
        } catch (IOException e) {
            stuck.add(fileName);
            LOG.severe("skipping outbox file " + fileName + " until the agent restarts: " + reason + "; and it cannot be moved to "
                    + setAside.directory() + " either (" + e + ")");
        }
        forget(fileName);
    }

    private String owner() {
        String name = FileOwner.of(directory).name();
        return name.isEmpty() ? "the agent's user" : name + " (the owner of " + directory + ")";
    }

    private void forget(String fileName) {
        fileNames.remove(fileName);
        fileNameByEventId.remove(eventIdOf(fileName), fileName);
    }

    private void index(String fileName) {
        fileNames.add(fileName);
        fileNameByEventId.put(eventIdOf(fileName), fileName);
    }

    // <seconds, 12 digits>-<nanos, 9 digits>-<event id>[.heartbeat].event: sortable as text by time, then event id
    static String fileNameFor(AgentEvent event) {
        Timestamp at = event.getOccurredAt();
        return String.format("%012d-%09d-%s%s", Math.max(0, at.getSeconds()), at.getNanos(), event.getEventId(),
                event.hasHeartbeat() ? HEARTBEAT_SUFFIX : EVENT_SUFFIX);
    }

    static String eventIdOf(String fileName) {
        String suffix = fileName.endsWith(HEARTBEAT_SUFFIX) ? HEARTBEAT_SUFFIX : EVENT_SUFFIX;
        String withoutSuffix = fileName.substring(0, fileName.length() - suffix.length());
        return withoutSuffix.substring(withoutSuffix.indexOf('-', withoutSuffix.indexOf('-') + 1) + 1);
    }
}
