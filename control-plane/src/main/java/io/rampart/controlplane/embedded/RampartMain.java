package io.rampart.controlplane.embedded;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import io.rampart.controlplane.agents.identity.AgentCaFiles;
import io.rampart.keycloak.EmbeddedKeycloak;

/**
 * Starts the control plane. In embedded mode (the default) it first starts a real PostgreSQL and
 * Kafka under the data directory and points Quarkus at them; with
 * RAMPART_EMBEDDED_ENABLED=false it uses the external servers its configuration names.
 *
 * <p>
 * These settings are read from system properties and the environment directly because they are
 * needed before Quarkus (and its configuration) starts.
 */
@QuarkusMain
public final class RampartMain {

    private RampartMain() {
    }

    public static void main(String... args) {
        if (!Boolean.parseBoolean(setting("rampart.embedded.enabled", "true"))) {
            prepareAgentCa(Path.of("ca"));
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(setting("rampart.embedded.data-dir", "data")).toAbsolutePath();
        prepareAgentCa(dataDir.resolve("ca"));
        int postgresPort = Integer.parseInt(setting("rampart.embedded.postgres-port", "15432"));
        int kafkaPort = Integer.parseInt(setting("rampart.embedded.kafka-port", "19092"));
        Path brokerLib = EmbeddedServers.brokerLib(Optional.ofNullable(setting("rampart.embedded.kafka-broker-lib", null)));

        boolean keycloak = Boolean.parseBoolean(setting("rampart.embedded.keycloak.enabled", "true"));
        int keycloakPort = Integer.parseInt(setting("rampart.embedded.keycloak.port", "18080"));
        // durable unless told otherwise: what an agent is told was received must survive a power cut (README "Embedded mode")
        boolean durable = Boolean.parseBoolean(setting("rampart.embedded.durable", "true"));
        EmbeddedServers servers = EmbeddedServers.start(
                new EmbeddedServers.Settings(dataDir, postgresPort, kafkaPort, brokerLib, keycloak, keycloakPort, durable));
        CountDownLatch serversStopped = new CountDownLatch(1);
        // On SIGTERM the JVM ends when its shutdown hooks do: this one waits until main has stopped
        // the servers, which it does only after Quarkus has stopped using them.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                serversStopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedded-servers-stop"));
        System.setProperty("quarkus.datasource.jdbc.url", servers.postgres().jdbcUrl());
        System.setProperty("quarkus.datasource.username", EmbeddedPostgres.USER);
        System.setProperty("quarkus.datasource.password", "postgres");
        System.setProperty("rampart.kafka.bootstrap-servers", servers.kafka().bootstrapServers());
        System.setProperty("rampart.embedded.data-dir", dataDir.toString());
        servers.keycloak().ifPresent(started -> {
            System.setProperty("quarkus.oidc.auth-server-url", started.issuer());
            // the demo realm's people client, and the master admin that points the realm's emails at Rampart's SMTP server
            if (setting("rampart.people.client-secret", null) == null) {
                System.setProperty("rampart.people.client-secret", EmbeddedKeycloak.PEOPLE_CLIENT_SECRET);
            }
            System.setProperty("rampart.people.keycloak-admin-password", started.adminPassword());
        });
        if (Boolean.parseBoolean(setting("rampart.embedded.demo.enabled", "false"))) {
            int smtpPort = Integer.parseInt(setting("rampart.embedded.demo.smtp-port", "12525"));
            DemoMailbox.start(smtpPort);
            System.setProperty("rampart.mail.host", "localhost");
            System.setProperty("rampart.mail.port", String.valueOf(smtpPort));
        }
        AtomicInteger exitCode = new AtomicInteger();
        try {
            Quarkus.run(null, (code, failure) -> exitCode.set(code), args);
        } finally {
            DemoMailbox.stop();
            servers.close();
            serversStopped.countDown();
        }
        System.exit(exitCode.get());
    }

    /** The gRPC server's TLS settings name the CA's files, so they must exist before Quarkus starts. */
    private static void prepareAgentCa(Path defaultDirectory) {
        Path directory = Path.of(setting("rampart.agents.ca-dir", defaultDirectory.toString())).toAbsolutePath();
        List<String> serverNames = Arrays.stream(setting("rampart.agents.server-names", "localhost,127.0.0.1").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        AgentCaFiles.in(directory).ensure(serverNames, Instant.now());
        System.setProperty("rampart.agents.ca-dir", directory.toString());
    }

    /** A setting from a system property, else its environment variable (rampart.a-b -> RAMPART_A_B). */
    static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null ? fallback : value;
    }
}
