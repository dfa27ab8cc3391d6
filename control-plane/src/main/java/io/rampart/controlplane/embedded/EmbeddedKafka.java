package io.rampart.controlplane.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) run as a child process from
 * the broker jars that deploy/kafka-broker gathers. Its log directory survives restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private EmbeddedKafka(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the broker, formatting its storage on first use.
     *
     * @param brokerLib folder holding the broker's jars
     * @param dataDir where the broker keeps its log segments and configuration
     * @param port the client port; the controller listens on the next one
     */
    public static EmbeddedKafka start(Path brokerLib, Path dataDir, int port) {
        if (!Files.isDirectory(brokerLib)) {
            throw new IllegalStateException("The Kafka broker jars are not at " + brokerLib.toAbsolutePath()
                    + ": build them with ./mvnw -pl deploy/kafka-broker package, or set rampart.embedded.kafka-broker-lib");
        }
        try {
            Path logs = dataDir.resolve("logs");
            Files.createDirectories(logs);
            Path config = writeServerProperties(dataDir, logs, port);
            Path log4j = writeLog4jConfig(dataDir);
            String classPath = brokerLib.toAbsolutePath() + File.separator + "*";
            if (!Files.exists(logs.resolve("meta.properties"))) {
                run(List.of(java(), "-cp", classPath, "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", clusterId(), "-c", config.toString()), dataDir.resolve("format.log"));
            }
            List<String> command = new ArrayList<>(List.of(java(), "-Xms128m", "-Xmx512m",
                    "-Dlog4j2.configurationFile=" + log4j, "-Dkafka.logs.dir=" + dataDir,
                    "-cp", classPath, "kafka.Kafka", config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.out").toFile()))
                    .start();
            EmbeddedKafka kafka = new EmbeddedKafka(process, port);
            kafka.awaitListening();
            LOG.infof("Embedded Kafka listening on localhost:%d (data in %s)", port, dataDir);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Kafka broker in " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The embedded Kafka broker exited with code " + process.exitValue()
                        + "; see broker.out in its data directory");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 500);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        close();
        throw new IllegalStateException("The embedded Kafka broker did not listen on port " + port + " within " + START_TIMEOUT);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path writeServerProperties(Path dataDir, Path logs, int port) throws IOException {
        int controllerPort = port + 1;
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logs.toAbsolutePath(),
                // one node: every internal topic has a single replica
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // the event log is the system of record: keep it
                "log.retention.ms=-1",
                "auto.create.topics.enable=false",
                "");
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, properties);
        return file;
    }

    private static Path writeLog4jConfig(Path dataDir) throws IOException {
        String config = String.join("\n",
                "<Configuration status=\"warn\">",
                "  <Appenders>",
                "    <File name=\"file\" fileName=\"" + dataDir.toAbsolutePath().resolve("broker.log") + "\">",
                "      <PatternLayout pattern=\"%d{ISO8601} %-5p [%c{1}] %m%n\"/>",
                "    </File>",
                "  </Appenders>",
                "  <Loggers>",
                "    <Root level=\"warn\"><AppenderRef ref=\"file\"/></Root>",
                "    <Logger name=\"kafka.server.KafkaRaftServer\" level=\"info\"/>",
                "  </Loggers>",
                "</Configuration>",
                "");
        Path file = dataDir.resolve("log4j2.xml");
        Files.writeString(file, config);
        return file;
    }

    /**
     * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. One that starts
     * with '-' would be read by the storage tool as an option (and the format fail, one start in
     * 64), so such ids are drawn again, as Kafka's own Uuid.randomUuid() does.
     */
    static String clusterId() {
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        } while (id.startsWith("-"));
        return id;
    }

    private static void run(List<String> command, Path output) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Formatting the Kafka storage failed: " + Files.readString(output).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting the Kafka storage", e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
