package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Backup archives for tests, made by the real tools a practice's backup job uses: GNU tar, Info-ZIP zip, bsdtar
 * (Debian package libarchive-tools) and 7z (p7zip-full); and the archives of the issue that Rampart once judged
 * wrongly ({@code src/test/resources/archives}: a GNU sparse tar, a zip with a code page 437 name).
 */
public final class BackupArchives {

    /** The content of {@code scans/0042.pdf} in {@link #documents}: 60 000 random bytes, so that it is stored as is. */
    public static final byte[] SCAN = random(60_000, 42);
    /** A name of 150 characters: longer than the 100 a ustar header holds, so GNU tar writes a ././@LongLink. */
    public static final String LONG_NAME = "x".repeat(146) + ".txt";

    private BackupArchives() {
    }

    /** Copies one of the issue's archives ({@code sparse6.tar}, {@code cp437.zip}) to {@code target}. */
    public static Path issueInput(String name, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (InputStream in = BackupArchives.class.getResourceAsStream("/archives/" + name)) {
            assertThat(in).as("test resource archives/%s", name).isNotNull();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * A folder {@code documents} in {@code dir} as a practice has it: a non-ASCII name ("Bücher/Müller_Brief.txt"),
     * a name longer than 100 bytes, {@code scans/0042.pdf} ({@link #SCAN}) and a symbolic link to it: 7 entries.
     */
    public static Path documents(Path dir) throws IOException {
        Path documents = Files.createDirectories(dir.resolve("documents"));
        Files.createDirectories(documents.resolve("Bücher"));
        Files.writeString(documents.resolve("Bücher/Müller_Brief.txt"), "Sehr geehrte Frau Müller,\n".repeat(20));
        Files.createDirectories(documents.resolve("scans"));
        Files.write(documents.resolve("scans/0042.pdf"), SCAN);
        Files.writeString(documents.resolve(LONG_NAME), "a long name\n");
        Files.createSymbolicLink(documents.resolve("latest.pdf"), Path.of("scans/0042.pdf"));
        return documents;
    }

    /** A 5 MiB file with six 6-byte data segments 1 MiB apart and holes between them, as in the issue's sparse6.tar. */
    public static Path sparseImage(Path dir) throws IOException {
        Path image = dir.resolve("s.img");
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (int i = 0; i < 6; i++) {
                channel.write(java.nio.ByteBuffer.wrap(("chunk" + i).getBytes(StandardCharsets.US_ASCII)), i * 1_048_576L);
            }
        }
        return image;
    }

    /** Runs a real tool in {@code cwd}; it must succeed. Returns what it printed. */
    public static String run(Path cwd, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("%s said: %s", String.join(" ", command), output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " (is the tool installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell command line in {@code cwd} (for pipes); it must succeed. */
    public static String shell(Path cwd, String commandLine) {
        return run(cwd, List.of("sh", "-c", commandLine).toArray(String[]::new));
    }

    /**
     * Flips one byte in the middle of where {@link #SCAN} is stored in the archive (stored as is, because random
     * bytes do not compress), keeping the file's modification time. The archive's structure stays intact: only the
     * entry's data is damaged.
     */
    public static void damageTheScan(Path archive) throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        byte[] needle = Arrays.copyOfRange(SCAN, 30_000, 30_064);
        int at = indexOf(bytes, needle);
        assertThat(at).as("the scan's bytes are stored as is in %s", archive.getFileName()).isNotNegative();
        flipByte(archive, at + 32);
    }

    /** Flips the byte at {@code offset} (from the end when negative), keeping the modification time. */
    public static void flipByte(Path file, long offset) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        int at = (int) (offset < 0 ? bytes.length + offset : offset);
        bytes[at] ^= 0x55;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, modified);
    }

    /** Keeps the first {@code keep} bytes (all but the last {@code -keep} when negative), as an interrupted copy does. */
    public static void cut(Path file, long keep) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int) (keep < 0 ? bytes.length + keep : keep)));
        Files.setLastModifiedTime(file, modified);
    }

    /** Where {@code needle} first occurs in {@code haystack}, -1 when it does not. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
