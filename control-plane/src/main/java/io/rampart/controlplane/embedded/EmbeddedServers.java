package io.rampart.controlplane.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The servers of embedded mode: a real PostgreSQL and a real single-node Kafka, started before
 * Quarkus so that their addresses can be handed to it as ordinary configuration.
 */
public final class EmbeddedServers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;

    private EmbeddedServers(EmbeddedPostgres postgres, EmbeddedKafka kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    public static EmbeddedServers start(Path dataDir, int postgresPort, int kafkaPort, Path brokerLib) {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), postgresPort);
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(brokerLib, dataDir.resolve("kafka"), kafkaPort);
            return new EmbeddedServers(postgres, kafka);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public EmbeddedKafka kafka() {
        return kafka;
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
        kafka.close();
        postgres.close();
    }
}
