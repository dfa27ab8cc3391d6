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
 * Where this practice's backups live, per check (lines {@code check.<check-id>.path=/some/folder}).
 * The control plane says which checks to run; the paths stay on this computer and are never sent.
 */
public final class LocalChecks {

    private static final String PREFIX = "check.";
    private static final String PATH_SUFFIX = ".path";

    private final Map<String, Path> folders;

    private LocalChecks(Map<String, Path> folders) {
        this.folders = Map.copyOf(folders);
    }

    public static LocalChecks of(Map<String, Path> folders) {
        return new LocalChecks(folders);
    }

    /** Reads the bindings; a missing file simply means nothing is bound yet. */
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
        Map<String, Path> folders = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX) && name.endsWith(PATH_SUFFIX) && name.length() > PREFIX.length() + PATH_SUFFIX.length()) {
                String checkId = name.substring(PREFIX.length(), name.length() - PATH_SUFFIX.length());
                String value = properties.getProperty(name).trim();
                if (!value.isEmpty()) {
                    folders.put(checkId, Path.of(value));
                }
            }
        }
        return new LocalChecks(folders);
    }

    public Optional<Path> folderFor(String checkId) {
        return Optional.ofNullable(folders.get(checkId));
    }

    /** The property a person sets in checks.properties to bind the check to a folder. */
    public static String propertyFor(String checkId) {
        return PREFIX + checkId + PATH_SUFFIX;
    }
}
