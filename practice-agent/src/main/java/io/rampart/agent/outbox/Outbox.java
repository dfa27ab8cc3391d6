package io.rampart.agent.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AtomicFile;
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
    private static final String REJECTED = "rejected";
    private static final Pattern SAFE_EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Path directory;
    private final int maxEvents;
    private long compactedHeartbeats;
    // File names sort by occurrence time then event id, so the TreeSet is the delivery order.
    private final TreeSet<String> fileNames = new TreeSet<>();
    private final Map<String, String> fileNameByEventId = new HashMap<>();

    private Outbox(Path directory, int maxEvents) {
        this.directory = directory;
        this.maxEvents = maxEvents;
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
        Outbox outbox = new Outbox(directory, maxEvents);
        try {
            Files.createDirectories(directory);
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
        pickUpNewFiles();
        List<AgentEvent> events = new ArrayList<>();
        for (String fileName : List.copyOf(fileNames)) {
            if (events.size() >= max) {
                break;
            }
            Path file = directory.resolve(fileName);
            try {
                events.add(AgentEvent.parseFrom(Files.readAllBytes(file)));
            } catch (InvalidProtocolBufferException e) {
                moveToRejected(fileName, "the file is not a readable event: " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
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
                if (!fileNames.contains(name) && Files.isRegularFile(file)) {
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
     * Sets aside an event the control plane rejected as invalid, with the reason next to it, so one
     * bad event never blocks the rest. It stays on disk in {@code outbox/rejected/} for a person to look at.
     */
    public synchronized void quarantine(String eventId, String reason) {
        String fileName = fileNameByEventId.get(eventId);
        if (fileName != null) {
            moveToRejected(fileName, reason);
        }
    }

    public Path rejectedDirectory() {
        return directory.resolve(REJECTED);
    }

    private void moveToRejected(String fileName, String reason) {
        try {
            Path rejected = Files.createDirectories(rejectedDirectory());
            AtomicFile.write(rejected.resolve(fileName + ".reason"), (reason + "\n").getBytes(StandardCharsets.UTF_8), true);
            Files.move(directory.resolve(fileName), rejected.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            AtomicFile.syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot quarantine " + fileName, e);
        }
        fileNames.remove(fileName);
        fileNameByEventId.values().remove(fileName);
        LOG.log(Level.WARNING, "set aside rejected event {0} in {1}: {2}", new Object[] { eventIdOf(fileName), rejectedDirectory(), reason });
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

    private static String eventIdOf(String fileName) {
        String suffix = fileName.endsWith(HEARTBEAT_SUFFIX) ? HEARTBEAT_SUFFIX : EVENT_SUFFIX;
        String withoutSuffix = fileName.substring(0, fileName.length() - suffix.length());
        return withoutSuffix.substring(withoutSuffix.indexOf('-', withoutSuffix.indexOf('-') + 1) + 1);
    }
}
