package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * The demo practice's cloud copy: a real restic repository under the practice's folder (standing in
 * for the cloud bucket) holding snapshots of the practice server's data. The repository password is
 * made once and kept in a file in the agent's home, which only checks.properties names: it never
 * reaches the control plane. A snapshot is made at the first start and again whenever the newest is
 * more than 12 hours old, as the practice's nightly backup would.
 */
final class DemoCloudCopy {

    private static final Logger LOG = Logger.getLogger(DemoCloudCopy.class);
    /** A new snapshot when the newest is older than this, well inside the 26-hour cloud-copy limit. */
    static final Duration SNAPSHOT_EVERY = Duration.ofHours(12);

    private DemoCloudCopy() {
    }

    /**
     * Makes (or reuses) the repository {@code home/cloud/restic} with a fresh snapshot of {@code data}.
     *
     * @return the checks.properties lines of check "cloud-copy" and, when {@code restoreTest}, of "restore-test"
     * @throws IllegalStateException with restic's own words when restic fails
     */
    static String prepare(Path restic, Path home, Path data, Path agentHome, Instant now) {
        Path repository = home.resolve("cloud").resolve("restic");
        Path passwordFile = agentHome.resolve("restic.pass");
        try {
            Files.createDirectories(agentHome);
            if (!Files.exists(passwordFile)) {
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                Files.writeString(passwordFile, HexFormat.of().formatHex(secret) + "\n");
                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            }
            if (!Files.exists(repository.resolve("config"))) {
                Files.createDirectories(repository.getParent());
                restic(restic, repository, passwordFile, home, "init");
                LOG.infof("Made the demo's restic repository %s (the cloud copy of Harbour Street)", repository);
            }
            if (newestSnapshotOlderThan(restic, repository, passwordFile, home, now.minus(SNAPSHOT_EVERY))) {
                restic(restic, repository, passwordFile, home, "backup", "--host", "server01", "--tag", "nightly", data.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the demo's restic repository in " + repository, e);
        }
        return "check.cloud-copy.repository=" + repository + "\n"
                + "check.cloud-copy.password-file=" + passwordFile + "\n"
                + "check.cloud-copy.executable=" + restic + "\n"
                + "check.restore-test.scratch=" + agentHome.resolve("restore-scratch") + "\n";
    }

    private static boolean newestSnapshotOlderThan(Path restic, Path repository, Path passwordFile, Path home, Instant limit) {
        String json = restic(restic, repository, passwordFile, home, "snapshots", "--latest", "1", "--json");
        // restic prints "time":"2026-11-30T09:00:00.123456789+00:00" for each snapshot; the newest decides
        java.util.regex.Matcher times = java.util.regex.Pattern.compile("\"time\":\"([^\"]+)\"").matcher(json);
        Instant newest = Instant.EPOCH;
        while (times.find()) {
            Instant at = java.time.OffsetDateTime.parse(times.group(1)).toInstant();
            newest = at.isAfter(newest) ? at : newest;
        }
        return newest.isBefore(limit);
    }

    private static String restic(Path restic, Path repository, Path passwordFile, Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>(List.of(restic.toString(), "--repo", repository.toString(), "--password-file",
                passwordFile.toString(), "--no-cache", "--quiet"));
        command.addAll(List.of(arguments));
        return DemoProcesses.run(command, workingDirectory, 120);
    }
}
