package io.rampart.agent.outbox;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.FileOwner;

/**
 * Events the agent will not send on its own any more, kept on disk in {@code outbox/set-aside/} so one bad event
 * never stops the ones behind it: events the control plane refused (INVALID_ARGUMENT), events over
 * {@code EventLimits.MAX_EVENT_BYTES}, and outbox files the agent cannot read. Each event file keeps its outbox name
 * and gets a {@code <name>.reason} next to it (properties: {@code event-id}, {@code set-aside-at} (ISO-8601 UTC),
 * {@code reason}, {@code size-bytes}). Nothing here is ever deleted by the agent: a person lists them
 * ({@code rampart-agent set-aside list}) and puts them back into the outbox after a fix
 * ({@code rampart-agent set-aside retry}). Safe to use from the running agent and a command at the same time.
 */
public final class SetAside {

    private static final Logger LOG = Logger.getLogger(SetAside.class.getName());
    public static final String DIRECTORY = "set-aside";
    /** Where agents before 0.2 kept refused events (a plain-text reason next to each); moved here on open. */
    static final String LEGACY_DIRECTORY = "rejected";
    private static final String REASON_SUFFIX = ".reason";
    private static final String EVENT_SUFFIX = ".event";

    /**
     * One set-aside event.
     *
     * @param fileName   its file name in the outbox (and in {@code set-aside/})
     * @param setAsideAt when the agent set it aside
     * @param sizeBytes  the size of its file, in bytes
     */
    public record Entry(String fileName, String eventId, Instant setAsideAt, String reason, long sizeBytes) {
    }

    /** How many events are set aside and when the oldest of them was (empty when none). */
    public record Summary(int count, Optional<Instant> oldestAt) {
    }

    private final Path outboxDirectory;
    private final Path directory;
    private final Clock clock;
    // reason files are read once per event: heartbeats ask for the summary every minute
    private final Map<String, Entry> known = new HashMap<>();

    private SetAside(Path outboxDirectory, Clock clock) {
        this.outboxDirectory = outboxDirectory;
        this.directory = outboxDirectory.resolve(DIRECTORY);
        this.clock = clock;
    }

    /** The store of the outbox in {@code outboxDirectory}; takes over what an older agent left in {@code rejected/}. */
    public static SetAside of(Path outboxDirectory, Clock clock) {
        SetAside setAside = new SetAside(outboxDirectory, clock);
        setAside.takeOverLegacy();
        return setAside;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Moves {@code eventFile} (a file in the outbox) here with its reason. The reason is written first, so a crash
     * in between leaves the event in the outbox (sent again), never an event without its reason.
     *
     * @throws IOException when the file cannot be moved (it then stays where it is)
     */
    synchronized Entry put(Path eventFile, String eventId, String reason) throws IOException {
        return put(eventFile, eventId, reason, clock.instant());
    }

    private Entry put(Path eventFile, String eventId, String reason, Instant at) throws IOException {
        String fileName = eventFile.getFileName().toString();
        Entry entry = new Entry(fileName, eventId, at, reason, sizeOf(eventFile));
        FileOwner.of(outboxDirectory).createDirectories(directory);
        Properties p = new Properties();
        p.setProperty("event-id", eventId);
        p.setProperty("set-aside-at", at.toString());
        p.setProperty("reason", reason);
        p.setProperty("size-bytes", Long.toString(entry.sizeBytes()));
        StringWriter text = new StringWriter();
        p.store(text, "Rampart: why this event was set aside; `rampart-agent set-aside retry` puts it back into the outbox");
        AtomicFile.write(directory.resolve(fileName + REASON_SUFFIX), text.toString().getBytes(StandardCharsets.UTF_8), false);
        Files.move(eventFile, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFile.syncDirectory(eventFile.getParent());
        AtomicFile.syncDirectory(directory);
        known.put(fileName, entry);
        return entry;
    }

    /** Every set-aside event, oldest first (by when it was set aside). */
    public synchronized List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            known.clear();
            return entries;
        }
        Map<String, Entry> present = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + EVENT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Entry entry = known.get(name);
                present.put(name, entry != null ? entry : read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the set-aside events in " + directory, e);
        }
        known.clear();
        known.putAll(present);
        entries.addAll(present.values());
        entries.sort(Comparator.comparing(Entry::setAsideAt).thenComparing(Entry::fileName));
        return entries;
    }

    public Summary summary() {
        List<Entry> entries = list();
        return new Summary(entries.size(), entries.stream().map(Entry::setAsideAt).min(Comparator.naturalOrder()));
    }

    /**
     * Puts set-aside events back into the outbox, to be sent again (after the control plane was fixed, or the file's
     * owner was): all of them, or only the one with {@code eventId}. Each file is first given to the outbox's owner, so
     * running this as root also repairs a file root wrote. Returns what was put back.
     */
    public synchronized List<Entry> putBack(Optional<String> eventId) {
        List<Entry> putBack = new ArrayList<>();
        FileOwner owner = FileOwner.of(outboxDirectory);
        for (Entry entry : list()) {
            if (eventId.isPresent() && !eventId.get().equals(entry.eventId())) {
                continue;
            }
            Path file = directory.resolve(entry.fileName());
            try {
                owner.adopt(file);
                Files.move(file, outboxDirectory.resolve(entry.fileName()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(directory.resolve(entry.fileName() + REASON_SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put " + entry.fileName() + " back into the outbox " + outboxDirectory, e);
            }
            known.remove(entry.fileName());
            putBack.add(entry);
        }
        AtomicFile.syncDirectory(outboxDirectory);
        AtomicFile.syncDirectory(directory);
        return putBack;
    }

    private Entry read(Path eventFile) throws IOException {
        String name = eventFile.getFileName().toString();
        Path reasonFile = directory.resolve(name + REASON_SUFFIX);
        Properties p = new Properties();
        Instant fallbackAt = Files.getLastModifiedTime(eventFile).toInstant();
        try (Reader reader = Files.newBufferedReader(reasonFile, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            return new Entry(name, Outbox.eventIdOf(name), fallbackAt, "no reason was recorded", sizeOf(eventFile));
        }
        Instant at;
        try {
            at = Instant.parse(p.getProperty("set-aside-at", "").trim());
        } catch (DateTimeParseException e) {
            at = fallbackAt;
        }
        return new Entry(name, p.getProperty("event-id", Outbox.eventIdOf(name)), at, p.getProperty("reason", "no reason was recorded"),
                sizeOf(eventFile));
    }

    private void takeOverLegacy() {
        Path legacy = outboxDirectory.resolve(LEGACY_DIRECTORY);
        if (!Files.isDirectory(legacy)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(legacy, "*" + EVENT_SUFFIX)) {
            for (Path file : files) {
                Path reasonFile = legacy.resolve(file.getFileName() + REASON_SUFFIX);
                String reason = Files.exists(reasonFile) ? Files.readString(reasonFile, StandardCharsets.UTF_8).trim()
                        : "set aside by an earlier version of the agent";
                // keep when it really happened, not when this version moved it
                Instant at = Files.exists(reasonFile) ? Files.getLastModifiedTime(reasonFile).toInstant() : clock.instant();
                put(file, Outbox.eventIdOf(file.getFileName().toString()), reason, at);
                Files.deleteIfExists(reasonFile);
            }
        } catch (IOException e) {
            // they stay where they are, kept; the outbox must still open
            LOG.warning("cannot move the events set aside in " + legacy + " to " + directory + ": " + e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
