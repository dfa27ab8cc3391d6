package io.rampart.agent.collectors;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.MediaSeen;
import io.rampart.protocol.agent.v1.UsbRotationObservation;
import io.rampart.protocol.agent.v1.UsbRotationSettings;

/**
 * Tracks the rotated USB backup drives mounted at {@code check.<id>.path}: on first sight the agent
 * writes a marker {@code .rampart-media-id} (a random id, optionally a {@code label=} a person adds) at
 * the drive's root, and remembers in {@code usb-media.properties} in the agent home when it saw each
 * drive and since when the attached one has been attached. Fails when no drive is attached, the same
 * drive stays too long (the other one is not going offsite), or too few drives were ever seen.
 */
public final class UsbRotationCollector implements Collector {

    public static final String MARKER = ".rampart-media-id";
    static final String HISTORY_FILE = "usb-media.properties";
    /** A rotation needs at least two drives when the policy does not say. */
    static final int DEFAULT_MIN_DRIVES = 2;

    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Object HISTORY_LOCK = new Object();

    private final AgentHome home;
    private final LocalChecks bindings;
    private final Clock clock;
    private final Predicate<Path> driveMounted;

    public UsbRotationCollector(AgentHome home, LocalChecks bindings, Clock clock) {
        this(home, bindings, clock, UsbRotationCollector::isOnItsOwnFilesystem);
    }

    /** driveMounted tells a mounted drive from the bare mount-point folder left when it is unplugged. */
    UsbRotationCollector(AgentHome home, LocalChecks bindings, Clock clock, Predicate<Path> driveMounted) {
        this.home = home;
        this.bindings = bindings;
        this.clock = clock;
        this.driveMounted = driveMounted;
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_USB_ROTATION;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        String property = LocalChecks.propertyFor(check.getCheckId());
        Optional<Path> mount = bindings.folderFor(check.getCheckId());
        if (mount.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary("this computer does not know where the USB drives of check "
                    + check.getCheckId() + " are mounted: set " + property + "=<mount point> in checks.properties");
        } else {
            try {
                synchronized (HISTORY_LOCK) {
                    examine(mount.get(), check, property, result);
                }
            } catch (IOException | UncheckedIOException e) {
                result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary("cannot keep track of the USB drive at the place set in "
                        + property + ": " + e.getClass().getSimpleName() + " (is the drive read-only, or the agent home not writable?)");
            }
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    private void examine(Path mount, CheckDefinition check, String property, CheckResult.Builder result) throws IOException {
        Instant now = clock.instant();
        // A marker is only ever written on a mounted drive, so a folder holding one is a drive (e.g. a
        // network share or a drive on the same filesystem), whatever the filesystem test says.
        boolean mounted = Files.isDirectory(mount) && (Files.isRegularFile(mount.resolve(MARKER)) || driveMounted.test(mount));
        Optional<Media> attached = mounted ? Optional.of(identify(mount)) : Optional.empty();

        Path historyFile = home.directory().resolve(HISTORY_FILE);
        History history = History.read(historyFile, check.getCheckId());
        attached.ifPresentOrElse(media -> history.sighted(media, now), history::nothingAttached);
        history.write(historyFile);

        UsbRotationObservation.Builder observation = UsbRotationObservation.newBuilder();
        List<MediaSeen> seen = history.media();
        seen.forEach(observation::addMedia);
        attached.ifPresent(media -> observation.setAttachedMediaId(media.id()).setAttachedLabel(media.label())
                .setAttachedSince(timestamp(history.attachedSince().orElse(now))));
        result.setUsbRotation(observation);

        UsbRotationSettings settings = check.getUsbRotation();
        Optional<Duration> maxAttached = Optional.of(DesiredConfiguration.toDuration(settings.getMaxAttached()))
                .filter(limit -> !limit.isZero() && !limit.isNegative());
        int minDrives = settings.getMinDrives() > 0 ? settings.getMinDrives() : DEFAULT_MIN_DRIVES;
        String drives = seen.size() == 1 ? "1 drive" : seen.size() + " drives";

        List<String> problems = new ArrayList<>();
        String attachedText;
        if (attached.isEmpty()) {
            String last = seen.stream().max(Comparator.comparing(m -> m.getLastSeenAt().getSeconds()))
                    .map(m -> " (last seen: " + m.getLabel() + " on " + day(toInstant(m.getLastSeenAt())) + ")").orElse("");
            problems.add("no USB drive attached at the place set in " + property + last);
            attachedText = "";
        } else {
            Instant since = history.attachedSince().orElse(now);
            Duration attachedFor = Duration.between(since, now);
            String drive = "USB drive " + attached.get().label() + " attached since " + day(since);
            if (maxAttached.isPresent() && attachedFor.compareTo(maxAttached.get()) > 0) {
                problems.add(drive + ": not rotated for " + HumanDuration.of(attachedFor) + " (limit "
                        + HumanDuration.of(maxAttached.get()) + ")");
            }
            attachedText = drive + " (for " + HumanDuration.of(attachedFor)
                    + maxAttached.map(limit -> ", limit " + HumanDuration.of(limit)).orElse("") + ")";
        }
        if (seen.size() < minDrives) {
            problems.add("only " + drives + " seen; rotation needs " + minDrives);
        }
        if (problems.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(attachedText + "; " + drives + " in rotation");
        } else {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(String.join("; ", problems));
        }
    }

    record Media(String id, String label) {
    }

    /** Reads the drive's marker, writing one on first sight; the id stays with the drive for ever. */
    static Media identify(Path mount) throws IOException {
        Path marker = mount.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            Properties p = new Properties();
            try (Reader reader = new StringReader(Files.readString(marker, StandardCharsets.UTF_8))) {
                p.load(reader);
            }
            String id = p.getProperty("id", "").trim();
            if (MEDIA_ID.matcher(id).matches()) {
                String label = p.getProperty("label", "").trim();
                return new Media(id, label.isEmpty() ? defaultLabel(id) : label);
            }
            // a damaged marker: the drive gets a new identity below rather than none
        }
        String id = UUID.randomUUID().toString();
        String text = "# Rampart: identifies this backup drive in the USB rotation. Keep this file.\n"
                + "# Add a line label=<name> to give the drive a name in reports.\n"
                + "id=" + id + "\n";
        AtomicFile.write(marker, text.getBytes(StandardCharsets.UTF_8), false);
        return new Media(id, defaultLabel(id));
    }

    private static String defaultLabel(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }

    /**
     * Whether a drive is mounted at the path: the path lies on another filesystem than the system's root,
     * so a bare mount-point folder (drive unplugged) never gets a marker. Drive letters (E:\) count when present.
     */
    static boolean isOnItsOwnFilesystem(Path path) {
        try {
            Path real = path.toRealPath();
            Path root = real.getRoot();
            if (root == null || !root.toString().equals("/")) {
                return true;
            }
            return !Files.getFileStore(real).equals(Files.getFileStore(root));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * usb-media.properties, lines {@code <check>.media.<id>.first-seen|last-seen|label} per drive and
     * {@code <check>.attached} / {@code <check>.attached-since} for the drive attached at the last run.
     * Only this check's lines are touched; the others are kept as they are.
     */
    private static final class History {
        private final Properties properties;
        private final String prefix;

        private History(Properties properties, String checkId) {
            this.properties = properties;
            this.prefix = checkId + ".";
        }

        static History read(Path file, String checkId) throws IOException {
            Properties p = new Properties();
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(reader);
                }
            }
            return new History(p, checkId);
        }

        void write(Path file) throws IOException {
            StringWriter text = new StringWriter();
            // sorted, so a person reading the file finds each drive's lines together
            Properties sorted = new Properties() {
                @Override
                public synchronized java.util.Set<java.util.Map.Entry<Object, Object>> entrySet() {
                    return java.util.Collections.unmodifiableSet(new TreeMap<Object, Object>(properties).entrySet());
                }
            };
            sorted.store(text, "Rampart: the rotated USB drives this agent has seen");
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
        }

        void sighted(Media media, Instant now) {
            String key = prefix + "media." + media.id() + ".";
            properties.putIfAbsent(key + "first-seen", now.toString());
            properties.setProperty(key + "last-seen", now.toString());
            properties.setProperty(key + "label", media.label());
            if (!media.id().equals(properties.getProperty(prefix + "attached")) || attachedSince().isEmpty()) {
                // a new run of sightings: this drive has been attached since now
                properties.setProperty(prefix + "attached", media.id());
                properties.setProperty(prefix + "attached-since", now.toString());
            }
        }

        void nothingAttached() {
            properties.remove(prefix + "attached");
            properties.remove(prefix + "attached-since");
        }

        Optional<Instant> attachedSince() {
            return instant(properties.getProperty(prefix + "attached-since"));
        }

        List<MediaSeen> media() {
            TreeMap<String, MediaSeen.Builder> byId = new TreeMap<>();
            String mediaPrefix = prefix + "media.";
            for (String name : properties.stringPropertyNames()) {
                if (!name.startsWith(mediaPrefix)) {
                    continue;
                }
                String rest = name.substring(mediaPrefix.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    continue;
                }
                String id = rest.substring(0, dot);
                MediaSeen.Builder media = byId.computeIfAbsent(id, i -> MediaSeen.newBuilder().setMediaId(i).setLabel(defaultLabel(i)));
                String value = properties.getProperty(name);
                switch (rest.substring(dot + 1)) {
                    case "first-seen" -> instant(value).ifPresent(at -> media.setFirstSeenAt(timestamp(at)));
                    case "last-seen" -> instant(value).ifPresent(at -> media.setLastSeenAt(timestamp(at)));
                    case "label" -> media.setLabel(value);
                    default -> {
                        // a line from a later agent version
                    }
                }
            }
            return byId.values().stream().map(MediaSeen.Builder::build)
                    .sorted(Comparator.comparing((MediaSeen m) -> m.getFirstSeenAt().getSeconds()).thenComparing(MediaSeen::getMediaId))
                    .toList();
        }

        private static Optional<Instant> instant(String value) {
            try {
                return value == null ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    private String day(Instant at) {
        ZoneId zone = clock.getZone();
        ZonedDateTime when = at.atZone(zone);
        boolean thisYear = when.getYear() == clock.instant().atZone(zone).getYear();
        return DateTimeFormatter.ofPattern(thisYear ? "d MMM" : "d MMM uuuu", Locale.ENGLISH).format(when);
    }

    private static Timestamp timestamp(Instant at) {
        return ProtoTime.timestamp(at);
    }

    private static Instant toInstant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
