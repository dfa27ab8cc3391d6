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
 *
 * <p>
 * Supervised: a broker that exits while the control plane runs (killed, out of memory) is
 * started again on the same data, after a pause that doubles from 1 s up to 60 s while it keeps
 * failing, and each exit and restart is logged. Its pid is kept in {@code broker.pid}, so a
 * broker left behind by a control plane that was killed is stopped before a new one starts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FIRST_RESTART_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_RESTART_PAUSE = Duration.ofSeconds(60);

    private final List<String> command;
    private final Path dataDir;
    private final int port;
    private volatile Process process;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicLong restarts = new java.util.concurrent.atomic.AtomicLong();

    private EmbeddedKafka(List<String> command, Path dataDir, int port) {
        this.command = command;
        this.dataDir = dataDir;
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
        return start(brokerLib, dataDir, port, true);
    }

    /**
     * As {@link #start(Path, Path, int)}.
     *
     * @param durable true: the broker writes every message to the disk (fsync) before it
     *     acknowledges it ({@code log.flush.interval.messages=1}); false: Kafka's default of
     *     leaving that to the operating system, so a power cut can lose acknowledged events
     */
    public static EmbeddedKafka start(Path brokerLib, Path dataDir, int port, boolean durable) {
        if (!Files.isDirectory(brokerLib)) {
            throw new IllegalStateException("The Kafka broker jars are not at " + brokerLib.toAbsolutePath()
                    + ": build them with ./mvnw -pl deploy/kafka-broker package, or set rampart.embedded.kafka-broker-lib");
        }
        try {
            Path logs = dataDir.resolve("logs");
            Files.createDirectories(logs);
            Path config = writeServerProperties(dataDir, logs, port, durable);
            Path log4j = writeLog4jConfig(dataDir);
            String classPath = brokerLib.toAbsolutePath() + File.separator + "*";
            if (!Files.exists(logs.resolve("meta.properties"))) {
                run(List.of(java(), "-cp", classPath, "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", clusterId(), "-c", config.toString()), dataDir.resolve("format.log"));
            }
            List<String> command = new ArrayList<>(List.of(java(), "-Xms128m", "-Xmx512m",
                    "-Dlog4j2.configurationFile=" + log4j, "-Dkafka.logs.dir=" + dataDir,
                    "-cp", classPath, "kafka.Kafka", config.toString()));
            EmbeddedKafka kafka = new EmbeddedKafka(List.copyOf(command), dataDir, port);
            kafka.stopLeftBehindBroker();
            kafka.launch();
            kafka.awaitListening();
            LOG.infof("Embedded Kafka listening on localhost:%d (data in %s; %s)", port, dataDir, durable
                    ? "every message is on the disk before it is acknowledged"
                    : "acknowledged before the disk has it: a power cut can lose acknowledged events");
            kafka.supervise();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Kafka broker in " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** How many times the supervisor started the broker again after it exited on its own. */
    public long restarts() {
        return restarts.get();
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.out").toFile()))
                .start();
        Files.writeString(dataDir.resolve("broker.pid"), Long.toString(process.pid()));
    }

    /**
     * A control plane killed with SIGKILL cannot stop its broker, which keeps the port and the
     * log directory's lock: stop that one (SIGTERM, then SIGKILL after 30 s) if it is still running
     * as a Kafka broker on this data directory.
     */
    private void stopLeftBehindBroker() throws IOException {
        Path pidFile = dataDir.resolve("broker.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (NumberFormatException unreadable) {
            return;
        }
        java.util.Optional<ProcessHandle> left = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains("kafka.Kafka")
                        && List.of(args).contains(dataDir.resolve("server.properties").toString())).orElse(false));
        if (left.isEmpty()) {
            return;
        }
        LOG.warnf("A Kafka broker (pid %d) left behind by an earlier control plane still runs on %s: stopping it", pid, dataDir);
        left.get().destroy();
        try {
            left.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            left.get().destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            // it is gone either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the left-behind Kafka broker", e);
        }
    }

    private void supervise() {
        Thread supervisor = new Thread(() -> {
            Duration pause = FIRST_RESTART_PAUSE;
            while (!closing) {
                Process watched = process;
                try {
                    watched.waitFor();
                } catch (InterruptedException e) {
                    return;
                }
                if (closing) {
                    return;
                }
                LOG.errorf("The embedded Kafka broker exited with code %d; starting it again in %d s (see broker.out in %s)",
                        watched.exitValue(), pause.toSeconds(), dataDir);
                try {
                    TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                    if (closing) {
                        return;
                    }
                    launch();
                    awaitListening();
                    restarts.incrementAndGet();
                    LOG.warnf("The embedded Kafka broker runs again on localhost:%d (restart %d)", port, restarts.get());
                    pause = FIRST_RESTART_PAUSE;
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("Starting the embedded Kafka broker again failed: %s", e.getMessage());
                    Duration doubled = pause.multipliedBy(2);
                    pause = doubled.compareTo(LONGEST_RESTART_PAUSE) > 0 ? LONGEST_RESTART_PAUSE : doubled;
                }
            }
        }, "embedded-kafka-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Process process = this.process;
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
        process.destroyForcibly();
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
        closing = true;
        Process process = this.process;
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

    private static Path writeServerProperties(Path dataDir, Path logs, int port, boolean durable) throws IOException {
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
                // one replica means no other copy: a durable broker writes each message to the disk before acknowledging it
                "log.flush.interval.messages=" + (durable ? "1" : Long.MAX_VALUE),
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
