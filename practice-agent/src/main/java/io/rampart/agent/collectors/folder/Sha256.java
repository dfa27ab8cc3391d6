package io.rampart.agent.collectors.folder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import io.rampart.agent.collectors.ExternalCommand;

/**
 * SHA-256 of a whole file, read by the agent at the budget's pace. On Linux the agent's JVM runs C1 only (install.sh,
 * for its footprint), where Java's SHA-256 has no CPU intrinsic and hashes some 5 times slower than {@code sha256sum};
 * so files of {@link #NATIVE_FROM_BYTES} and more are fed through a pipe to {@code openssl dgst -sha256} (SHA-NI where
 * the CPU has it) or else {@code sha256sum}, found once per agent run by absolute path on PATH (never the current
 * directory) and run through {@link ExternalCommand} with a time limit of the file's size at the pace's rate (or
 * 1 MB/s if slower) plus {@link #MARGIN}. The agent still reads the file, so the pace and a read error are its own.
 * Without either tool (Windows, where the JVM has C2 and its intrinsic), or if the tool cannot start, hangs, fails
 * or prints no hash, Java's SHA-256 is used.
 */
public final class Sha256 {

    private static final Logger LOG = Logger.getLogger(Sha256.class.getName());
    /** Below this a process start costs more than Java's slower hashing. */
    public static final long NATIVE_FROM_BYTES = 512L << 10;
    /** Added to the time a file takes at the pace's rate before the hasher is stopped. */
    static final Duration MARGIN = Duration.ofSeconds(60);
    private static final int BUFFER = 1 << 20;
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final List<List<String>> HASHERS = List.of(List.of("openssl", "dgst", "-sha256", "-r"), List.of("sha256sum", "-"));
    private static volatile Optional<List<String>> hasher;

    private Sha256() {
    }

    /** The external hasher in use, e.g. "/usr/bin/openssl dgst -sha256 -r"; "Java" when none. */
    public static String hasherName() {
        return nativeHasher().map(h -> String.join(" ", h)).orElse("Java");
    }

    /**
     * SHA-256 of {@code file} in lower-case hex.
     *
     * @throws java.io.InterruptedIOException when the agent is stopping
     * @throws IOException when the file cannot be read (never for a failing hasher tool: Java then hashes it)
     */
    public static String of(Path file, ReadBackBudget.Pace pace) throws IOException {
        Optional<List<String>> tool = nativeHasher();
        if (tool.isPresent() && Files.size(file) >= NATIVE_FROM_BYTES) {
            return of(file, pace, tool.get(), limitFor(Files.size(file), pace));
        }
        return java(file, pace);
    }

    /** With this hasher and time limit; Java's SHA-256 when the tool gives no hash. */
    static String of(Path file, ReadBackBudget.Pace pace, List<String> tool, Duration limit) throws IOException {
        Optional<String> hex = piped(file, pace, tool, limit);
        if (hex.isPresent()) {
            return hex.get();
        }
        return java(file, pace);
    }

    private static Duration limitFor(long bytes, ReadBackBudget.Pace pace) {
        double rate = Math.max(1, Math.min(pace.bytesPerSecond(), 1_000_000));
        return Duration.ofSeconds((long) Math.ceil(bytes / rate)).plus(MARGIN);
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

    /**
     * The file's hash from the tool; empty when the tool could not start, hung past {@code limit}, failed or printed
     * no hash (the file itself was read fine).
     *
     * @throws IOException when reading the file failed (rethrown from the feeding thread)
     */
    private static Optional<String> piped(Path file, ReadBackBudget.Pace pace, List<String> tool, Duration limit) throws IOException {
        IOException[] readFailure = new IOException[1];
        boolean[] fed = new boolean[1];
        ExternalCommand.Outcome outcome;
        try {
            outcome = ExternalCommand.of(tool).timeout(limit).stopGraces(Duration.ofSeconds(1), Duration.ofSeconds(1)).input(toTool -> {
                InputStream opened;
                try {
                    opened = Files.newInputStream(file);
                } catch (IOException e) {
                    readFailure[0] = e;
                    return;
                }
                try (InputStream in = opened) {
                    byte[] buffer = new byte[BUFFER];
                    int n;
                    while (true) {
                        try {
                            n = in.read(buffer);
                        } catch (IOException e) {
                            readFailure[0] = e;
                            return;
                        }
                        if (n < 0) {
                            break;
                        }
                        toTool.write(buffer, 0, n);
                        pace.read(n);
                    }
                    fed[0] = true;
                }
            }).run();
        } catch (ExternalCommand.NotInstalledException e) {
            LOG.warning(String.join(" ", tool) + " cannot be started (" + e.getMessage() + "); hashing " + file.getFileName() + " in Java");
            return Optional.empty();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("read-back stopped: the agent is stopping");
            }
            LOG.warning(String.join(" ", tool) + " failed (" + e.getMessage() + "); hashing " + file.getFileName() + " in Java");
            return Optional.empty();
        }
        if (readFailure[0] != null) {
            throw readFailure[0];
        }
        String printed = outcome.stdout();
        if (!fed[0] || !outcome.succeeded() || !hex(printed)) {
            LOG.warning(String.join(" ", tool) + (outcome.timedOut() ? " did not finish within " + limit.toSeconds() + " s" : " did not hash")
                    + " " + file.getFileName() + "; hashing it in Java");
            return Optional.empty();
        }
        return Optional.of(printed.substring(0, 64));
    }

    private static boolean hex(String printed) {
        return printed.length() >= 64 && printed.substring(0, 64).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static Optional<List<String>> nativeHasher() {
        Optional<List<String>> found = hasher;
        if (found == null) {
            found = HASHERS.stream().map(Sha256::onPath).flatMap(Optional::stream).filter(Sha256::works).findFirst();
            hasher = found;
        }
        return found;
    }

    /** The tool with its program resolved to an absolute path from the absolute entries of PATH; empty when not there. */
    static Optional<List<String>> onPath(List<String> tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            try {
                Path directory = Path.of(dir);
                if (!directory.isAbsolute()) {
                    // "." or an empty entry: never run a hasher from wherever the agent happens to be
                    continue;
                }
                for (String name : List.of(tool.get(0), tool.get(0) + ".exe")) {
                    Path program = directory.resolve(name);
                    if (Files.isRegularFile(program) && Files.isExecutable(program)) {
                        List<String> resolved = new java.util.ArrayList<>(tool);
                        resolved.set(0, program.toString());
                        return Optional.of(List.copyOf(resolved));
                    }
                }
            } catch (java.nio.file.InvalidPathException e) {
                // an odd PATH entry
            }
        }
        return Optional.empty();
    }

    /** Whether the tool is there and hashes empty input right, within 10 seconds. */
    static boolean works(List<String> tool) {
        try {
            ExternalCommand.Outcome outcome = ExternalCommand.of(tool).timeout(Duration.ofSeconds(10))
                    .stopGraces(Duration.ofSeconds(1), Duration.ofSeconds(1)).run();
            return outcome.succeeded() && outcome.stdout().startsWith(EMPTY);
        } catch (IOException e) {
            return false;
        }
    }
}
