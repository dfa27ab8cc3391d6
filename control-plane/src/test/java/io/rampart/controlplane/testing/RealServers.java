package io.rampart.controlplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.awaitility.Awaitility;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import io.rampart.controlplane.agents.identity.AgentCaFiles;
import io.rampart.controlplane.embedded.EmbeddedPostgres;
import io.rampart.controlplane.embedded.EmbeddedServers;
import io.rampart.keycloak.EmbeddedKeycloak;

/**
 * Starts a real PostgreSQL, a real single-node Kafka and a real Keycloak (with the demo realm) once per test run (the same servers
 * embedded mode uses, in a fresh temporary folder) and hands Quarkus their addresses.
 */
public class RealServers implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedServers servers;
    private static Path caDir;
    private static int smtpPort;
    private static GreenMail mail;

    @Override
    public synchronized Map<String, String> start() {
        if (servers == null) {
            try {
                Path dataDir = Files.createTempDirectory("rampart-test-servers");
                caDir = AgentCaFiles.in(dataDir.resolve("ca")).ensure(List.of("localhost", "127.0.0.1"), Instant.now()).directory();
                smtpPort = freePort();
                startMail();
                servers = EmbeddedServers.start(new EmbeddedServers.Settings(dataDir, freePort(), freePortPair(),
                        EmbeddedServers.brokerLib(Optional.ofNullable(System.getProperty("rampart.embedded.kafka-broker-lib"))),
                        // a throwaway data directory: no need to pay for fsync on every commit and message
                        true, freePort(), false));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    servers.close();
                    deleteRecursively(dataDir);
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("quarkus.oidc.auth-server-url", issuer());
        settings.put("quarkus.datasource.jdbc.url", servers.postgres().jdbcUrl());
        settings.put("quarkus.datasource.username", EmbeddedPostgres.USER);
        settings.put("quarkus.datasource.password", "postgres");
        settings.put("rampart.kafka.bootstrap-servers", servers.kafka().bootstrapServers());
        settings.put("rampart.kafka.agent-events-partitions", "3");
        settings.put("rampart.embedded.enabled", "false");
        settings.put("rampart.agents.ca-dir", caDir.toString());
        settings.put("rampart.mail.port", String.valueOf(smtpPort));
        settings.put("rampart.people.client-secret", EmbeddedKeycloak.PEOPLE_CLIENT_SECRET);
        settings.put("rampart.people.keycloak-admin-password", servers.keycloak().orElseThrow().adminPassword());
        return settings;
    }

    /** The servers outlive each Quarkus restart and stop with the test JVM. */
    @Override
    public void stop() {
    }

    /** The tests' real SMTP server (GreenMail), which every email of the control plane goes to. */
    public static GreenMail mail() {
        return mail;
    }

    /**
     * Starts the SMTP server (again, after an outage) on its port, and returns once it greets
     * clients: a restart must not race the old listener's socket or the new one's start.
     */
    public static synchronized void startMail() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (ServerSocket probe = new ServerSocket(smtpPort)) {
                return true;
            } catch (IOException inUse) {
                return false;
            }
        });
        mail = new GreenMail(new ServerSetup(smtpPort, "localhost", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket("localhost", smtpPort);
                    BufferedReader greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
                socket.setSoTimeout(2000);
                return greeting.readLine().startsWith("220");
            }
        });
    }

    public static String issuer() {
        return servers.keycloak().orElseThrow().issuer();
    }

    public static String bootstrapServers() {
        return servers.kafka().bootstrapServers();
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port whose successor is free too (the broker's controller listens there). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two adjacent free ports");
    }
}
