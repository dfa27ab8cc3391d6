package io.rampart.agent.collectors.folder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * SHA-256 of a whole file, read by the agent at the budget's pace. The agent's JVM runs C1 only (for its footprint),
 * where Java's SHA-256 has no CPU intrinsic and hashes some 5 times slower than {@code sha256sum}; so files of
 * {@link #NATIVE_FROM_BYTES} and more are fed through a pipe to {@code openssl dgst -sha256} (SHA-NI where the CPU
 * has it) or else {@code sha256sum}, found once per agent run. The agent still reads the file, so the pace and a
 * read error are its own. Without either tool (Windows), or if the tool fails, Java's SHA-256 is used.
 */
public final class Sha256 {

    private static final Logger LOG = Logger.getLogger(Sha256.class.getName());
    /** Below this a process start costs more than Java's slower hashing. */
    public static final long NATIVE_FROM_BYTES = 512L << 10;
    private static final int BUFFER = 1 << 20;
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final List<List<String>> HASHERS = List.of(List.of("openssl", "dgst", "-sha256", "-r"), List.of("sha256sum", "-"));
    private static volatile Optional<List<String>> hasher;

    private Sha256() {
    }

    /** The external hasher in use, e.g. "openssl dgst -sha256 -r"; "Java" when none. */
    public static String hasherName() {
        return nativeHasher().map(h -> String.join(" ", h)).orElse("Java");
    }

    /**
     * SHA-256 of {@code file} in lower-case hex.
     *
     * @throws IOException when the file cannot be read (never for a failing hasher tool: Java then hashes it)
     */
    public static String of(Path file, ReadBackBudget.Pace pace) throws IOException {
        Optional<List<String>> tool = nativeHasher();
        if (tool.isPresent() && Files.size(file) >= NATIVE_FROM_BYTES) {
            Optional<String> hex = piped(file, pace, tool.get());
            if (hex.isPresent()) {
                return hex.get();
            }
        }
        return java(file, pace);
    }

    static String java(Path file, ReadBackBudget.Pace pace) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                pace.read(n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The file's hash from the tool, empty when the tool failed (the file itself was read fine). */
    private static Optional<String> piped(Path file, ReadBackBudget.Pace pace, List<String> tool) throws IOException {
        Process process = new ProcessBuilder(tool).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            boolean fed = true;
            try (InputStream in = Files.newInputStream(file)) {
                OutputStream out = process.getOutputStream();
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        fed = false;
                        break;
                    }
                    pace.read(n);
                }
                try {
                    out.close();
                } catch (IOException e) {
                    fed = false;
                }
            }
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!fed || !process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !hex(printed)) {
                LOG.warning(String.join(" ", tool) + " did not hash " + file.getFileName() + "; hashing it in Java");
                return Optional.empty();
            }
            return Optional.of(printed.substring(0, 64));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("read-back stopped: the agent is stopping");
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean hex(String printed) {
        return printed.length() >= 64 && printed.substring(0, 64).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static Optional<List<String>> nativeHasher() {
        Optional<List<String>> found = hasher;
        if (found == null) {
            found = HASHERS.stream().filter(Sha256::works).findFirst();
            hasher = found;
        }
        return found;
    }

    /** Whether the tool is there and hashes empty input right. */
    private static boolean works(List<String> tool) {
        try {
            Process process = new ProcessBuilder(tool).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && printed.startsWith(EMPTY);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
