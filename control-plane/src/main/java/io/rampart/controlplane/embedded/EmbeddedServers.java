package io.rampart.controlplane.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;

import io.rampart.keycloak.EmbeddedKeycloak;

/**
 * The servers of embedded mode: a real PostgreSQL, a real single-node Kafka and (unless turned
 * off) a real Keycloak with the demo realm, started before Quarkus so that their addresses can
 * be handed to it as ordinary configuration.
 */
public final class EmbeddedServers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;
    private final Optional<EmbeddedKeycloak> keycloak;

    private EmbeddedServers(EmbeddedPostgres postgres, EmbeddedKafka kafka, Optional<EmbeddedKeycloak> keycloak) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.keycloak = keycloak;
    }

    /** Where and whether to run each server. */
    /**
     * Where and whether to run each server; {@code durable}: PostgreSQL and Kafka put what they
     * acknowledge on the disk first (see {@link EmbeddedPostgres#start} and {@link EmbeddedKafka#start}).
     */
    public record Settings(Path dataDir, int postgresPort, int kafkaPort, Path brokerLib, boolean keycloak, int keycloakPort,
            boolean durable) {
    }

    public static EmbeddedServers start(Settings settings) {
        // Keycloak takes longest: it starts on its own thread while the other two start here.
        CompletableFuture<Optional<EmbeddedKeycloak>> keycloak = settings.keycloak()
                ? CompletableFuture.supplyAsync(() -> Optional.of(EmbeddedKeycloak.start(EmbeddedKeycloak.defaultDistribution(),
                        settings.dataDir().resolve("keycloak"), settings.keycloakPort())))
                : CompletableFuture.completedFuture(Optional.empty());
        EmbeddedPostgres postgres = null;
        EmbeddedKafka kafka = null;
        try {
            postgres = EmbeddedPostgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort(), settings.durable());
            kafka = EmbeddedKafka.start(settings.brokerLib(), settings.dataDir().resolve("kafka"), settings.kafkaPort(), settings.durable());
            if (settings.durable()) {
                LOG.info("Embedded mode is durable: PostgreSQL and Kafka put every event on the disk before it is acknowledged,"
                        + " but both run on this one machine with no replica: back up the data directory " + settings.dataDir());
            } else {
                LOG.warn("Embedded mode runs with rampart.embedded.durable=false: a power cut or a crash of this machine can lose"
                        + " acknowledged events or corrupt the database. Embedded mode is then for trying Rampart out, not for"
                        + " keeping a practice's evidence.");
            }
            return new EmbeddedServers(postgres, kafka, keycloak.join());
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            keycloak.thenAccept(started -> started.ifPresent(EmbeddedKeycloak::close));
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public Optional<EmbeddedKeycloak> keycloak() {
        return keycloak;
    }

    /**
     * Where the broker jars are: the configured folder, else the one the Maven build makes next
     * to this module, seen from the repository root or from a module folder.
     */
    public static Path brokerLib(Optional<String> configured) {
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        List<Path> candidates = List.of(Path.of("deploy/kafka-broker/target/lib"), Path.of("../deploy/kafka-broker/target/lib"));
        return candidates.stream().filter(Files::isDirectory).findFirst().orElse(candidates.get(0));
    }

    @Override
    public void close() {
        LOG.info("Stopping the embedded servers");
        keycloak.ifPresent(EmbeddedKeycloak::close);
        kafka.close();
        postgres.close();
    }
}
