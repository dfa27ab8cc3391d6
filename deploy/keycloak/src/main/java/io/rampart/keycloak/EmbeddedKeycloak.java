package io.rampart.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak server (the distribution unpacked by {@code deploy/keycloak}'s build) started as a
 * child process in development mode, with the {@code rampart} realm imported.
 *
 * <p>All state lives under the data directory: Keycloak's H2 database ({@code keycloakdb.mv.db}),
 * its transaction log, the generated admin password and {@code keycloak.log}. The realm is imported
 * only when it does not exist yet, so a restart on the same data directory keeps everything.
 * The server listens on the loopback interface only. Plain JDK, no dependencies.
 */
public final class EmbeddedKeycloak implements AutoCloseable {

    /** The realm defined by {@code rampart-realm.json}. */
    public static final String REALM = "rampart";
    /** The classpath resource holding the realm. */
    public static final String REALM_RESOURCE = "/rampart-realm.json";
    /** System property that, when set, overrides where {@link #defaultDistribution()} looks. */
    public static final String DISTRIBUTION_PROPERTY = "rampart.keycloak.distribution";
    /** The bootstrap administrator of the master realm. */
    public static final String ADMIN_USERNAME = "admin";
    /**
     * The realm's confidential client whose service account manages people through Keycloak's admin API
     * (realm-management's manage-users, view-users and query-users only).
     */
    public static final String PEOPLE_CLIENT_ID = "rampart-people";
    /** Its secret as the realm file has it: for embedded mode and the tests only; production regenerates it. */
    public static final String PEOPLE_CLIENT_SECRET = "rampart-people-embedded-only";

    /**
     * System property: how long to wait for Keycloak to serve the realm, in seconds (default 300: a first start imports the realm and builds its database, minutes on a busy 2-core machine; a loaded machine needs
     * more). Outside the {@code rampart.} prefix, whose unknown keys the control plane's configuration refuses.
     */
    public static final String STARTUP_TIMEOUT_PROPERTY = "embedded-keycloak.startup-timeout-seconds";
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong(STARTUP_TIMEOUT_PROPERTY, 300));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String BUILD_COMMAND = "./mvnw -pl deploy/keycloak generate-resources";
    private static final System.Logger LOG = System.getLogger(EmbeddedKeycloak.class.getName());

    private final Process process;
    private final int httpPort;
    private final Path dataDir;
    private final Path logFile;
    private final String adminPassword;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private EmbeddedKeycloak(Process process, int httpPort, Path dataDir, Path logFile, String adminPassword) {
        this.process = process;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.adminPassword = adminPassword;
        this.shutdownHook = new Thread(this::stopProcessTree, "embedded-keycloak-shutdown");
    }

    /**
     * Starts Keycloak with a generated admin password (kept in {@code <dataDir>/keycloak-admin-password}
     * and reused on later starts, because Keycloak creates the admin only on the first start).
     */
    public static EmbeddedKeycloak start(Path distribution, Path dataDir, int httpPort) {
        return start(distribution, dataDir, httpPort, null);
    }

    /**
     * Starts Keycloak and waits until the {@code rampart} realm answers (at most 300 s).
     *
     * @param distribution  the unpacked server, e.g. {@link #defaultDistribution()}
     * @param dataDir       where all of Keycloak's state and its log go; created when missing
     * @param httpPort      the HTTP port on 127.0.0.1
     * @param adminPassword the master realm's {@code admin} password on a first start; {@code null}
     *                      for a generated one (or the one stored in {@code dataDir} by an earlier start)
     * @throws IllegalStateException when the server exits or is not ready in time (the message names the log)
     * @throws UncheckedIOException  when the data directory or the realm file cannot be written
     */
    public static EmbeddedKeycloak start(Path distribution, Path dataDir, int httpPort, String adminPassword) {
        Path dist = distribution.toAbsolutePath().normalize();
        Path kcSh = dist.resolve("bin").resolve("kc.sh");
        if (!Files.isRegularFile(kcSh)) {
            throw new IllegalStateException("No Keycloak server at " + dist + " (bin/kc.sh missing). Build it with `"
                    + BUILD_COMMAND + "` from the repository root.");
        }
        if (httpPort <= 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort out of range: " + httpPort);
        }
        Path data = dataDir.toAbsolutePath().normalize();
        Path log = data.resolve("keycloak.log");
        String password;
        try {
            Files.createDirectories(data);
            password = adminPassword(data, adminPassword);
            copyRealm(dist);
            kcSh.toFile().setExecutable(true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak in " + data + ": " + e.getMessage(), e);
        }

        List<String> command = List.of(
                kcSh.toString(), "start-dev",
                "--http-port=" + httpPort,
                "--http-host=127.0.0.1",
                "--import-realm",
                "--db=dev-file",
                "--db-url=jdbc:h2:file:" + data.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dist.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
        env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        String append = "-Dquarkus.transaction-manager.object-store.directory=" + data.resolve("transaction-logs");
        env.merge("JAVA_OPTS_APPEND", append, (old, ours) -> old + " " + ours);
        env.remove("JAVA_OPTS"); // would replace kc.sh's JVM defaults, including the heap limit

        long started = System.nanoTime();
        LOG.log(Level.INFO, "Starting Keycloak {0} on port {1}, data in {2}, log {3}", dist.getFileName(), String.valueOf(httpPort), data, log);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + kcSh + ": " + e.getMessage(), e);
        }
        EmbeddedKeycloak keycloak = new EmbeddedKeycloak(process, httpPort, data, log, password);
        Runtime.getRuntime().addShutdownHook(keycloak.shutdownHook);
        try {
            keycloak.awaitReady(STARTUP_TIMEOUT);
        } catch (RuntimeException | Error e) {
            keycloak.close();
            throw e;
        }
        LOG.log(Level.INFO, "Keycloak ready at {0} after {1} ms", keycloak.issuer(),
                String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return keycloak;
    }

    /**
     * The unpacked distribution of this build: the {@value #DISTRIBUTION_PROPERTY} system property when
     * set, else {@code deploy/keycloak/target/keycloak/keycloak-<version>} found from the working
     * directory (the repository root, a module folder or anything below them).
     *
     * @throws IllegalStateException naming the Maven command that builds it, when it is not there
     */
    public static Path defaultDistribution() {
        String configured = System.getProperty(DISTRIBUTION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isRegularFile(path.resolve("bin/kc.sh"))) {
                return path;
            }
            throw new IllegalStateException("-D" + DISTRIBUTION_PROPERTY + "=" + configured
                    + " is not a Keycloak server (no bin/kc.sh). Build it with `" + BUILD_COMMAND
                    + "` from the repository root.");
        }
        String folder = "keycloak-" + version();
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(
                    dir.resolve("deploy/keycloak/target/keycloak").resolve(folder),
                    dir.resolve("keycloak/target/keycloak").resolve(folder),
                    dir.resolve("target/keycloak").resolve(folder))) {
                if (Files.isRegularFile(candidate.resolve("bin/kc.sh"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Keycloak " + version() + " is not unpacked: no deploy/keycloak/target/keycloak/"
                + folder + " above " + start + ". Build it with `" + BUILD_COMMAND
                + "` from the repository root (Maven downloads org.keycloak:keycloak-quarkus-dist from Maven Central).");
    }

    /** The Keycloak version this module was built with (from the filtered {@code rampart-keycloak.properties}). */
    public static String version() {
        try (InputStream in = EmbeddedKeycloak.class.getResourceAsStream("/rampart-keycloak.properties")) {
            if (in == null) {
                throw new IllegalStateException("rampart-keycloak.properties missing from the class path; build with `"
                        + BUILD_COMMAND.replace("generate-resources", "package") + "`");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("keycloak.version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("rampart-keycloak.properties was not filtered by Maven: " + version);
            }
            return version.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://localhost:<port>/realms/rampart}, the {@code iss} of every token of the realm. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** {@code http://localhost:<port>}. */
    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** The realm's token endpoint. */
    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int httpPort() {
        return httpPort;
    }

    /** The master realm's {@value #ADMIN_USERNAME} password. */
    public String adminPassword() {
        return adminPassword;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server and every process it started; waits for them. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopProcessTree();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stopProcessTree() {
        if (closed) {
            return;
        }
        closed = true;
        // kc.sh runs java as a child (and exec's into it after a re-augmentation): take the tree first,
        // because the children are no longer our descendants once their parent is gone.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle handle : tree) {
            handle.destroy();
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                LOG.log(Level.WARNING, "Keycloak process {0} did not stop in {1} s; killing it", String.valueOf(handle.pid()),
                        String.valueOf(STOP_TIMEOUT.toSeconds()));
                handle.destroyForcibly();
                try {
                    handle.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.log(Level.ERROR, "Keycloak process {0} is still running", String.valueOf(handle.pid()));
                }
            }
        }
        LOG.log(Level.INFO, "Keycloak on port {0} stopped", String.valueOf(httpPort));
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before the realm '" + REALM + "' was ready; see " + logFile + lastLines());
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak; see " + logFile, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak did not serve " + request.uri() + " within "
                        + timeout.toSeconds() + " s; see " + logFile + lastLines());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak; see " + logFile, e);
            }
        }
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "\n--- last lines of " + logFile.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void copyRealm(Path dist) throws IOException {
        Path importDir = dist.resolve("data").resolve("import");
        Files.createDirectories(importDir);
        try (InputStream in = EmbeddedKeycloak.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REALM_RESOURCE + " missing from the class path");
            }
            Path tmp = Files.createTempFile(importDir, ".rampart-realm", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, importDir.resolve("rampart-realm.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String adminPassword(Path dataDir, String given) throws IOException {
        Path file = dataDir.resolve("keycloak-admin-password");
        if (Files.isRegularFile(file)) {
            // Keycloak creates the bootstrap admin only on the first start of a database
            String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (given != null && !given.equals(stored)) {
                LOG.log(Level.WARNING, "{0} already has an admin password; the given one is ignored", dataDir);
            }
            return stored;
        }
        String password = given;
        if (password == null) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        Files.writeString(file, password, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort
        }
        return password;
    }
}
