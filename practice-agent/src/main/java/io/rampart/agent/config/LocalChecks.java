package io.rampart.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where this practice's backups live and how to reach them, per check (lines
 * {@code check.<check-id>.<setting>=value}, e.g. {@code check.nas-copy.path=/mnt/nas/backups},
 * {@code check.cloud-copy.password-file=/etc/rampart-agent/restic.pass}). The control plane says
 * which checks to run; these settings, secrets included, stay on this computer and are never sent.
 */
public final class LocalChecks {

    private static final String PREFIX = "check.";
    private static final String PATH = "path";
    /** The practice's backup window, a setting of the whole computer rather than of one check. */
    public static final String BACKUP_WINDOW = "backup-window";

    /** check id -> setting -> value */
    private final Map<String, Map<String, String>> settings;
    private final Optional<String> backupWindow;

    private LocalChecks(Map<String, Map<String, String>> settings) {
        this(settings, Optional.empty());
    }

    private LocalChecks(Map<String, Map<String, String>> settings, Optional<String> backupWindow) {
        this.settings = settings;
        this.backupWindow = backupWindow;
    }

    /** Folder bindings only (check id -> folder), as tests and simple set-ups have them. */
    public static LocalChecks of(Map<String, Path> folders) {
        Map<String, Map<String, String>> settings = new TreeMap<>();
        folders.forEach((checkId, folder) -> settings.put(checkId, Map.of(PATH, folder.toString())));
        return new LocalChecks(settings);
    }

    /** Reads the settings; a missing file simply means nothing is bound yet. */
    public static LocalChecks read(Path file) {
        if (!Files.exists(file)) {
            return new LocalChecks(Map.of());
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, Map<String, String>> settings = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String rest = name.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            String value = properties.getProperty(name).trim();
            if (dot > 0 && dot < rest.length() - 1 && !value.isEmpty()) {
                settings.computeIfAbsent(rest.substring(0, dot), id -> new TreeMap<>()).put(rest.substring(dot + 1), value);
            }
        }
        return new LocalChecks(settings, Optional.ofNullable(properties.getProperty(BACKUP_WINDOW)).map(String::strip)
                .filter(v -> !v.isEmpty()));
    }

    /**
     * These settings over the ones set centrally for the practice (check id -> setting -> value, from the control
     * plane's CheckDefinition.sources and the agent's opened sealed secrets): where checks.properties names a setting
     * of a check, its value wins; settings it does not name come from the control plane.
     */
    public LocalChecks over(Map<String, Map<String, String>> central) {
        Map<String, Map<String, String>> merged = new TreeMap<>();
        central.forEach((checkId, values) -> merged.put(checkId, new TreeMap<>(values)));
        settings.forEach((checkId, values) -> merged.computeIfAbsent(checkId, id -> new TreeMap<>()).putAll(values));
        return new LocalChecks(merged, backupWindow);
    }

    /** Whether checks.properties itself (not the control plane) names this setting. */
    public boolean setsLocally(String checkId, String key) {
        return setting(checkId, key).isPresent();
    }

    /** The same settings with the given backup window, as tests and the demo set it. */
    public LocalChecks withBackupWindow(String window) {
        return new LocalChecks(settings, Optional.of(window));
    }

    /**
     * When the practice's backups run ({@code backup-window=21:00-06:30} in checks.properties, local time);
     * {@link BackupWindow#NONE} when not set.
     *
     * @throws IllegalArgumentException naming the property when the value is not a list of spans
     */
    public BackupWindow backupWindow() {
        if (backupWindow.isEmpty()) {
            return BackupWindow.NONE;
        }
        try {
            return BackupWindow.parse(backupWindow.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BACKUP_WINDOW + " in checks.properties: " + e.getMessage(), e);
        }
    }

    public Optional<Path> folderFor(String checkId) {
        return setting(checkId, PATH).map(Path::of);
    }

    /** A setting of a check, e.g. setting("cloud-copy", "repository"). */
    public Optional<String> setting(String checkId, String key) {
        return Optional.ofNullable(settings.getOrDefault(checkId, Map.of()).get(key));
    }

    /** The property a person sets in checks.properties to bind the check to a folder. */
    public static String propertyFor(String checkId) {
        return propertyFor(checkId, PATH);
    }

    /** The property a person sets in checks.properties for a setting of a check. */
    public static String propertyFor(String checkId, String key) {
        return PREFIX + checkId + "." + key;
    }
}
