package io.rampart.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.rampart.protocol.identity.Pem;

/**
 * The packaged control plane run as its own process in embedded mode (its own PostgreSQL and
 * Kafka under a data directory), so a test can stop it and start it again as an operator would.
 */
public final class ControlPlaneProcess implements AutoCloseable {

    public record Ports(int http, int grpc, int management, int postgres, int kafka) {

        /** Free ports, all different; the Kafka controller takes the port after the broker's, so that one is free too. */
        public static Ports free() throws IOException {
            return free(freePort(new HashSet<>()));
        }

        /** Free ports with the HTTP port given (the browser test's redirect URI names it). */
        public static Ports withHttp(int http) throws IOException {
            return free(http);
        }

        private static Ports free(int http) throws IOException {
            Set<Integer> taken = new HashSet<>(Set.of(http));
            int grpc = freePort(taken);
            int management = freePort(taken);
            int postgres = freePort(taken);
            int kafka;
            do {
                kafka = freePort(taken);
            } while (taken.contains(kafka + 1) || !isFree(kafka + 1));
            taken.add(kafka + 1);
            return new Ports(http, grpc, management, postgres, kafka);
        }

        private static int freePort(Set<Integer> taken) throws IOException {
            int port;
            do {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
            } while (!taken.add(port));
            return port;
        }

        private static boolean isFree(int port) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return true;
            } catch (IOException inUse) {
                return false;
            }
        }
    }

    private final Path dataDir;
    private final Ports ports;
    private final List<String> extraOptions;
    private Process process;

    public ControlPlaneProcess(Path dataDir, Ports ports) {
        this(dataDir, ports, List.of());
    }

    /** With further JVM options, e.g. {@code -Drampart.agents.agent-jar=...}, given before {@code -jar}. */
    public ControlPlaneProcess(Path dataDir, Ports ports, List<String> extraOptions) {
        this.dataDir = dataDir;
        this.ports = ports;
        this.extraOptions = List.copyOf(extraOptions);
    }

    public ControlPlaneProcess start() throws IOException {
        String jar = System.getProperty("rampart.it.control-plane-jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Drampart.embedded.data-dir=" + dataDir,
                "-Drampart.embedded.postgres-port=" + ports.postgres(),
                "-Drampart.embedded.kafka-port=" + ports.kafka(),
                "-Drampart.embedded.kafka-broker-lib=" + System.getProperty("rampart.embedded.kafka-broker-lib"),
                "-Dquarkus.http.port=" + ports.http(),
                "-Dquarkus.grpc.server.port=" + ports.grpc(),
                "-Dquarkus.management.port=" + ports.management(),
                // this test is about the event path; sign-in has its own tests with a real Keycloak
                "-Drampart.embedded.keycloak.enabled=false",
                "-Dquarkus.oidc.tenant-enabled=false",
                // each alert its own email at once, as in the test profile: the tests wait minutes, not a 5-min incident window
                "-Drampart.notifications.group-window=0s"));
        command.addAll(extraOptions);
        command.addAll(List.of("-jar", jar));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("control-plane.log").toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("The control plane exited with code " + process.exitValue() + "; the end of its log:\n"
                        + tail(dataDir.resolve("control-plane.log")) + "\nand of the Kafka broker's:\n" + tail(dataDir.resolve("kafka/broker.out")));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return this;
    }

    /**
     * Stops it as systemd would: SIGTERM, and after 90 s SIGKILL for it and the servers it started
     * (a killed JVM cannot stop its child Kafka broker, which would then hold the next start's port).
     */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * SIGKILL for the control plane's JVM only, as {@code kill -9} would: the servers it started
     * (Kafka, its child; PostgreSQL, detached by pg_ctl) are left running, and the next
     * {@link #start()} on the same data directory has to cope with them.
     */
    public void killJvm() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The running control plane's JVM (its children: the Kafka broker), or empty when it is not running. */
    public java.util.Optional<ProcessHandle> jvm() {
        return process != null && process.isAlive() ? java.util.Optional.of(process.toHandle()) : java.util.Optional.empty();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Ports ports() {
        return ports;
    }

    private static String tail(Path log) {
        if (!Files.exists(log)) {
            return "(none)";
        }
        try (var lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    public String httpUrl() {
        return "http://localhost:" + ports.http();
    }

    /** Where /q/health and /q/metrics are served (the management interface, never the public listener). */
    public String managementUrl() {
        return "http://localhost:" + ports.management();
    }

    public String grpcUrl() {
        return "https://localhost:" + ports.grpc();
    }

    /** The agents' CA the process made in its data directory. */
    public List<X509Certificate> caCertificates() {
        return Pem.readCertificates(dataDir.resolve("ca/ca.crt"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/rampart";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
