package io.rampart.controlplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The packaged control plane run as its own process in embedded mode (its own PostgreSQL and
 * Kafka under a data directory), so a test can stop it and start it again as an operator would.
 */
public final class ControlPlaneProcess implements AutoCloseable {

    public record Ports(int http, int grpc, int postgres, int kafka) {
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
                // this test is about the event path; sign-in has its own tests with a real Keycloak
                "-Drampart.embedded.keycloak.enabled=false",
                "-Dquarkus.oidc.tenant-enabled=false"));
        command.addAll(extraOptions);
        command.addAll(List.of("-jar", jar));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("control-plane.log").toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("The control plane exited; see " + dataDir.resolve("control-plane.log"));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return this;
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public String httpUrl() {
        return "http://localhost:" + ports.http();
    }

    public String grpcUrl() {
        return "http://localhost:" + ports.grpc();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/rampart";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
