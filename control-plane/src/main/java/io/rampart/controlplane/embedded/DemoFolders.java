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
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** What the practice's backup software leaves in its folders besides the backups: the read-back manifest, the archive. */
final class DemoFolders {

    /** Monthly restore points reaching back this many months: more than the archive rule's 3 years. */
    static final int ARCHIVE_MONTHS = 38;

    private DemoFolders() {
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

    /** The archive server's monthly restore points, one file per month on its first day, written once each. */
    static void writeArchive(Path folder, Instant now) {
        try {
            Files.createDirectories(folder);
            YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
            for (int i = 0; i < ARCHIVE_MONTHS; i++) {
                YearMonth m = month.minusMonths(i);
                Path file = folder.resolve("archive-" + m + ".bak");
                if (!Files.exists(file)) {
                    byte[] content = new byte[4096];
                    new Random(m.hashCode()).nextBytes(content);
                    Files.write(file, content);
                }
                Files.setLastModifiedTime(file, FileTime.from(m.atDay(1).atTime(2, 0).toInstant(ZoneOffset.UTC)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo archive in " + folder, e);
        }
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
