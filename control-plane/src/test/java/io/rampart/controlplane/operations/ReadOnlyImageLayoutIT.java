package io.rampart.controlplane.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.agents.identity.AgentCaFiles;
import io.rampart.controlplane.testing.ControlPlaneProcess;

/**
 * The packaged control plane run the way its image runs it (src/main/docker/Dockerfile.jvm), without a
 * container engine: quarkus-run.jar started from a read-only copy of quarkus-app as the working directory,
 * with the image's JAVA_OPTS_APPEND (java.io.tmpdir pointed at the one writable directory), as uid 185 when
 * the test runs as root (for whom read-only files are writable), a read-only home and a read-only agents' CA
 * whose server certificate names other hosts than RAMPART_AGENTS_SERVER_NAMES (as a Secret mount would be).
 * Embedded mode stands in for the external PostgreSQL and Kafka the image uses; its data directory is the
 * only other writable place.
 */
class ReadOnlyImageLayoutIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final String IMAGE_USER = "185";

    @TempDir
    Path root;

    @Test
    void thePackagedApplicationComesUpFromAReadOnlyCopyWritingOnlyUnderItsTmpDirectory() throws Exception {
        Path quarkusApp = Path.of(System.getProperty("rampart.it.control-plane-jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().getParent();
        Path deployments = copyTree(quarkusApp, root.resolve("deployments"));
        Files.createDirectories(deployments.resolve("agent"));
        Files.copy(quarkusApp.resolveSibling("agent/rampart-agent.jar"), deployments.resolve("agent/rampart-agent.jar"));
        Path home = Files.createDirectories(root.resolve("home"));
        Path ca = AgentCaFiles.in(root.resolve("agent-ca")).ensure(List.of("localhost", "127.0.0.1"), Instant.now()).directory();
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        readOnly(deployments);
        readOnly(home);
        readOnly(ca);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (asRoot) {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(tmp, users.lookupPrincipalByName(IMAGE_USER));
        }
        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.free();
        String dockerfile = Files.readString(DOCKERFILE);

        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("setpriv", "--reuid=" + IMAGE_USER, "--regid=" + IMAGE_USER, "--clear-groups"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        for (String option : env(dockerfile, "JAVA_OPTS_APPEND").split("\\s+")) {
            command.add(option.equals("-Djava.io.tmpdir=/tmp") ? "-Djava.io.tmpdir=" + tmp : option);
        }
        command.addAll(List.of("-Drampart.embedded.enabled=true", "-Drampart.embedded.data-dir=" + tmp.resolve("data"),
                "-Drampart.embedded.postgres-port=" + ports.postgres(), "-Drampart.embedded.kafka-port=" + ports.kafka(),
                "-Drampart.embedded.kafka-broker-lib=" + System.getProperty("rampart.embedded.kafka-broker-lib"),
                "-Drampart.embedded.keycloak.enabled=false", "-Dquarkus.oidc.tenant-enabled=false",
                "-Dquarkus.http.port=" + ports.http(), "-Dquarkus.grpc.server.port=" + ports.grpc(),
                "-Dquarkus.management.port=" + ports.management(), "-jar", deployments.resolve("quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(deployments.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("control-plane.log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("RAMPART_AGENTS_CA_DIR", ca.toString());
        builder.environment().put("RAMPART_AGENTS_SERVER_NAMES", "rampart.example.com");
        builder.environment().put("RAMPART_AGENTS_AGENT_JAR",
                env(dockerfile, "RAMPART_AGENTS_AGENT_JAR").replace("/deployments/", deployments + "/"));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(process.isAlive()).as("the control plane exited; its log:\n%s", log()).isTrue();
                return status(http, "http://localhost:" + ports.management() + "/q/health/ready") == 200;
            });

            assertThat(status(http, "http://localhost:" + ports.http() + "/downloads/rampart-agent.jar")).isEqualTo(200);
            assertThat(log()).contains("Keeping the gRPC server's certificate " + ca.resolve("server.crt"));
        } finally {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
        // besides embedded mode's data directory and its PostgreSQL binaries, only Vert.x's file cache
        try (Stream<Path> written = Files.list(tmp)) {
            assertThat(written.map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.equals("data") || name.equals("vertx-cache") || name.equals("embedded-pg")
                            || name.startsWith("detect_linux_distribution"), "only data, vertx-cache and embedded-pg");
        }
    }

    private String log() throws IOException {
        return Files.readString(root.resolve("control-plane.log"));
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    /** The value of {@code ENV NAME="value"} in the Dockerfile. */
    private static String env(String dockerfile, String name) {
        Matcher env = Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(env.find()).as("ENV %s in %s", name, DOCKERFILE).isTrue();
        return env.group(1);
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }

    /** Files r--r--r--, directories r-xr-xr-x: as an image's layers are to its unprivileged user. */
    private static void readOnly(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path path : files.toList()) {
                Files.setPosixFilePermissions(path,
                        PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
    }
}
