package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The demo practices' backup folders under the data directory, as their backup software leaves them: last
 * night's NAS and USB copies, the NAS copy's read-back manifest, the rotated USB drives, the archive.
 */
final class DemoFolders {

    /** Monthly restore points reaching back this many months: more than the archive rule's 3 years. */
    static final int ARCHIVE_MONTHS = 38;

    private DemoFolders() {
    }

    static String bindings(Path home) {
        return "check.nas-copy.path=" + home.resolve("nas").toAbsolutePath() + "\n"
                + "check.usb-copy.path=" + home.resolve("usb").toAbsolutePath() + "\n"
                + "check.usb-rotation.path=" + home.resolve("usb").toAbsolutePath() + "\n"
                + "check.archive-retention.path=" + home.resolve("archive").toAbsolutePath() + "\n";
    }

    /**
     * Last night's backups, as the practice's backup software would have left them, with their
     * manifest, the USB drives and the archive.
     *
     * @return the checks.properties lines that bind the folder checks
     */
    static String writeBackups(Path home, DemoFleet.Scenario scenario, Instant now) {
        Instant lastNight = now.minus(Duration.ofHours(6));
        writeBackup(home.resolve("nas"), lastNight, scenario == DemoFleet.Scenario.EMPTY_NAS ? 0 : 256 * 1024);
        writeBackup(home.resolve("usb"), scenario == DemoFleet.Scenario.STALE_USB ? now.minus(Duration.ofDays(3)) : lastNight, 256 * 1024);
        writeUsbDrives(home, scenario, now);
        writeManifest(home.resolve("nas"));
        writeArchive(home.resolve("archive"), now);
        return bindings(home);
    }

    /**
     * The practice has two USB drives, USB-A and USB-B, one attached and one offsite. The agent's
     * memory of them is written once, as if it had watched them for weeks: Riverside's USB-A has
     * stayed attached for 12 days; elsewhere USB-B went in two days ago.
     */
    private static void writeUsbDrives(Path home, DemoFleet.Scenario scenario, Instant now) {
        Path history = home.resolve("agent").resolve("usb-media.properties");
        if (Files.exists(history)) {
            return;
        }
        boolean stale = scenario == DemoFleet.Scenario.STALE_USB;
        String attached = stale ? "usb-a" : "usb-b";
        Instant attachedSince = now.minus(stale ? Duration.ofDays(12) : Duration.ofDays(2));
        Instant otherLastSeen = stale ? now.minus(Duration.ofDays(13)) : now.minus(Duration.ofDays(3));
        String other = stale ? "usb-b" : "usb-a";
        try {
            Files.createDirectories(history.getParent());
            Files.writeString(home.resolve("usb").resolve(".rampart-media-id"),
                    "id=" + attached + "\nlabel=" + attached.toUpperCase() + "\n");
            Files.writeString(history, String.join("\n",
                    "usb-rotation.attached=" + attached,
                    "usb-rotation.attached-since=" + attachedSince,
                    "usb-rotation.media." + attached + ".first-seen=" + now.minus(Duration.ofDays(60)),
                    "usb-rotation.media." + attached + ".last-seen=" + now,
                    "usb-rotation.media." + attached + ".label=" + attached.toUpperCase(),
                    "usb-rotation.media." + other + ".first-seen=" + now.minus(Duration.ofDays(59)),
                    "usb-rotation.media." + other + ".last-seen=" + otherLastSeen,
                    "usb-rotation.media." + other + ".label=" + other.toUpperCase(), ""));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo USB drives in " + home, e);
        }
    }

    private static void writeBackup(Path folder, Instant madeAt, int size) {
        try {
            Files.createDirectories(folder);
            LocalDate day = LocalDate.ofInstant(madeAt, ZoneOffset.UTC);
            Path file = folder.resolve("clinical-db-" + day + ".bak");
            if (!Files.exists(file)) {
                byte[] content = new byte[size];
                new java.util.Random(day.toEpochDay()).nextBytes(content);
                Files.write(file, content);
            }
            Files.setLastModifiedTime(file, FileTime.from(madeAt));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo backup in " + folder, e);
        }
    }

    /** SHA256SUMS (sha256sum's format) of every backup in the folder, as the backup job writes it after each copy. */
    static void writeManifest(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> backups = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".bak")).sorted().toList();
            StringBuilder manifest = new StringBuilder();
            for (Path backup : backups) {
                manifest.append(sha256(backup)).append("  ").append(backup.getFileName()).append('\n');
            }
            Files.writeString(folder.resolve("SHA256SUMS"), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the manifest of " + folder, e);
        }
    }

    /**
     * The archive server's monthly restore points, one file per month made on its first day at 02:00 UTC, written once
     * each; the newest is the last one already made (before 02:00 on the 1st, last month's), never one dated ahead of now.
     */
    static void writeArchive(Path folder, Instant now) {
        try {
            Files.createDirectories(folder);
            YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
            if (madeAt(month).isAfter(now)) {
                month = month.minusMonths(1);
            }
            YearMonth newest = month;
            try (Stream<Path> files = Files.list(folder)) {
                // a restore point of a month not yet made (left by an earlier run whose clock was ahead) would be a clock problem
                for (Path file : files.filter(f -> f.getFileName().toString().matches("archive-\\d{4}-\\d{2}\\.bak")).toList()) {
                    if (YearMonth.parse(file.getFileName().toString().substring(8, 15)).isAfter(newest)) {
                        Files.delete(file);
                    }
                }
            }
            for (int i = 0; i < ARCHIVE_MONTHS; i++) {
                YearMonth m = month.minusMonths(i);
                Path file = folder.resolve("archive-" + m + ".bak");
                if (!Files.exists(file)) {
                    byte[] content = new byte[4096];
                    new Random(m.hashCode()).nextBytes(content);
                    Files.write(file, content);
                }
                Files.setLastModifiedTime(file, FileTime.from(madeAt(m)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo archive in " + folder, e);
        }
    }

    private static Instant madeAt(YearMonth month) {
        return month.atDay(1).atTime(2, 0).toInstant(ZoneOffset.UTC);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
