package io.rampart.controlplane.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.rampart.agent.bench.SimulatedAgent;
import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * Faults Rampart survives, each under a modest load of simulated agents (the load benchmark's),
 * on one packaged control plane in embedded mode run as its own process: its JVM killed with
 * SIGKILL, its Kafka broker killed, its PostgreSQL killed (both started again by the control
 * plane), an agent's disk full, and the control plane unreachable from agents. After each: every event acknowledged to an agent is in the fleet
 * projection exactly once (counted by event id), the alert a failing practice raised during the
 * fault is opened and emailed exactly once (to a real SMTP server, GreenMail), and the time to
 * recover. Each prints one line of figures; a table of all follows at the end (README "Faults
 * Rampart survives").
 *
 * <p>
 * System properties: {@code rampart.faults.agents} (default 20), {@code rampart.faults.outage}
 * (how long the control plane is unreachable, ISO-8601, default PT1M; the README's benchmark
 * command uses PT10M).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    static final int AGENTS = Integer.getInteger("rampart.faults.agents", 20);
    static final Duration OUTAGE = Duration.parse(System.getProperty("rampart.faults.outage", "PT1M"));
    static final int BATCH = 10;
    static final Duration EVERY = Duration.ofMillis(500);
    static final Duration LOAD_BEFORE = Duration.ofSeconds(15);
    static final Duration LOAD_AFTER = Duration.ofSeconds(15);

    @TempDir
    static Path temp;

    ControlPlaneProcess controlPlane;
    ProcessDatabase database;
    GreenMail mail;
    final List<FaultFigures> figures = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    long suiteStarted;

    @BeforeAll
    void startControlPlane() throws Exception {
        suiteStarted = System.nanoTime();
        mail = new GreenMail(new ServerSetup(ProcessDatabase.freePort(), "localhost", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Path dataDir = Files.createDirectories(temp.resolve("control-plane"));
        controlPlane = new ControlPlaneProcess(dataDir, ControlPlaneProcess.Ports.free(), List.of(
                "-Drampart.mail.host=localhost", "-Drampart.mail.port=" + mail.getSmtp().getPort(),
                "-Drampart.notifications.send-every=2s")).start();
        database = new ProcessDatabase(controlPlane.jdbcUrl());
    }

    @AfterAll
    void stopControlPlane() throws Exception {
        FaultFigures.printTable(System.out, figures, (System.nanoTime() - suiteStarted) / 1e9);
        if (controlPlane != null) {
            controlPlane.stop();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    @Order(1)
    void everyAcknowledgedEventIsProjectedOnceAfterTheControlPlaneIsKilledWithSigkill() throws Exception {
        survive("control plane SIGKILL", "kill -9 of the control plane's JVM (its Kafka and PostgreSQL left running), restart",
                controlPlane.grpcUrl().replace("https://", ""), new Fault() {
                    @Override
                    public void inject() throws Exception {
                        controlPlane.killJvm();
                    }

                    @Override
                    public void heal() throws Exception {
                        controlPlane.start();
                    }
                });
    }

    @Test
    @Order(2)
    void everyAcknowledgedEventIsProjectedOnceAfterTheKafkaBrokerIsKilled() throws Exception {
        survive("Kafka broker SIGKILL", "kill -9 of the embedded Kafka broker; the control plane starts it again",
                controlPlane.grpcUrl().replace("https://", ""), new Fault() {
                    @Override
                    public void inject() {
                        ProcessHandle broker = controlPlane.jvm().orElseThrow().children()
                                .filter(child -> child.info().arguments().map(args -> List.of(args).contains("kafka.Kafka")).orElse(false))
                                .findFirst().orElseThrow(() -> new AssertionError("no Kafka broker among the control plane's children"));
                        broker.destroyForcibly();
                        await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
                    }

                    @Override
                    public void heal() {
                        // the control plane's supervisor restarts it: the time to recover measures that
                    }
                });
    }

    @Test
    @Order(3)
    void everyAcknowledgedEventIsProjectedOnceAfterPostgresqlCrashes() throws Exception {
        Path pgdata = controlPlane.dataDir().resolve("postgres").resolve("pgdata");
        survive("PostgreSQL crash", "kill -9 of PostgreSQL (postmaster and backends); the control plane starts it again on the same"
                + " data (crash recovery)", controlPlane.grpcUrl().replace("https://", ""), new Fault() {
                    @Override
                    public void inject() throws Exception {
                        long pid = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).strip());
                        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                        List<ProcessHandle> backends = postmaster.children().toList();
                        postmaster.destroyForcibly();
                        backends.forEach(ProcessHandle::destroyForcibly);
                        await().atMost(Duration.ofSeconds(30)).until(() -> !postmaster.isAlive() && backends.stream().noneMatch(ProcessHandle::isAlive));
                    }

                    @Override
                    public void heal() {
                        // the control plane's supervisor starts it again and its pool reconnects: the time to recover measures both
                    }
                });
        assertThat(Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).strip()))
                .as("the postmaster the control plane started again").isPositive();
        String log = Files.readString(controlPlane.dataDir().resolve("control-plane.log"));
        log.lines().filter(line -> line.contains("embedded PostgreSQL") || line.contains("stale")).forEach(System.out::println);
        assertThat(log).contains("The embedded PostgreSQL accepts connections again on localhost:" + controlPlane.ports().postgres() + " (restart 1");
    }

    @Test
    @Order(4)
    void anAgentWhoseDiskFilledUpLosesNothingItWasToldWasReceivedAndRecovers() throws Exception {
        try (AgentDiskFull diskFull = new AgentDiskFull(temp.resolve("disk-full-agent"), controlPlane, database)) {
            survive("agent disk full", "the agent's outbox on a 1 MiB tmpfs filled to the last byte for 3 check rounds, then freed",
                    controlPlane.grpcUrl().replace("https://", ""), diskFull);
            assertThat(diskFull.refusedWrites()).as("check rounds that could not write to the full disk").isEqualTo(3);
        }
    }

    @Test
    @Order(5)
    void agentsCutOffFromTheControlPlaneDeliverEverythingOnceWhenItIsReachableAgain() throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(controlPlane.ports().grpc())) {
            survive("control plane unreachable", "every packet between agents and control plane dropped for "
                    + OUTAGE.toSeconds() + " s", proxy.address(), new Fault() {
                        @Override
                        public void inject() {
                            proxy.blackhole();
                            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
                        }

                        @Override
                        public void heal() {
                            proxy.restore();
                        }
                    });
        }
    }

    /** A fault: injected under load, then healed; {@link #acknowledged} and {@link #practiceIds} add what its own agent sent. */
    interface Fault {
        void inject() throws Exception;

        void heal() throws Exception;

        default Set<String> acknowledged() {
            return Set.of();
        }

        default List<String> practiceIds() {
            return List.of();
        }
    }

    private void survive(String scenario, String injected, String grpcTarget, Fault fault) throws Exception {
        List<UUID> practices = database.seedPractices("Fault " + scenario, AGENTS);
        List<String> tokens = new ArrayList<>();
        for (UUID practice : practices) {
            tokens.add(database.issueToken(practice));
        }
        UUID alarmPractice = database.seedPractice("Alarm Surgery for " + scenario + " " + UUID.randomUUID());
        String contact = "it-" + UUID.randomUUID() + "@faults.example";
        database.addContact(alarmPractice, contact);
        String alarmToken = database.issueToken(alarmPractice);

        try (AgentLoad load = AgentLoad.enrol(tokens, grpcTarget, controlPlane.caCertificates(), BATCH, EVERY);
                AgentLoad alarm = AgentLoad.enrol(List.of(alarmToken), grpcTarget, controlPlane.caCertificates(), BATCH, EVERY)) {
            long loadStarted = System.nanoTime();
            load.start();
            await().pollDelay(LOAD_BEFORE).atMost(LOAD_BEFORE.plusSeconds(5)).until(() -> true);
            SimulatedAgent alarmAgent = alarm.agents().get(0);
            AgentLoad.reportStaleCopy(alarmAgent);

            fault.inject();
            fault.heal();
            long healed = System.nanoTime();
            List<String> practiceIds = new ArrayList<>(load.practiceIds());
            practiceIds.addAll(fault.practiceIds());
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long acknowledgedBefore = load.acknowledgedCount() + fault.acknowledged().size();
                return ready() && projected(practiceIds).size() >= acknowledgedBefore;
            });
            double recoverSeconds = (System.nanoTime() - healed) / 1e9;

            await().pollDelay(LOAD_AFTER).atMost(LOAD_AFTER.plusSeconds(5)).until(() -> true);
            load.stop(Duration.ofMinutes(2));
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            Set<String> acknowledged = new HashSet<>(load.acknowledged());
            acknowledged.addAll(fault.acknowledged());

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> projected(practiceIds).containsAll(acknowledged));
            List<String> rows = projected(practiceIds);
            Set<String> distinct = new HashSet<>(rows);
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(distinct);

            // the alarm practice's NAS copy is 40 h old: its alert opens and its email goes out, each once
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> subjectsTo(contact).keySet().stream()
                    .anyMatch(subject -> subject.startsWith("[Rampart] FAILED: Daily copy on the NAS")));
            // two more sending rounds: an email sent twice would show now
            await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
            Map<String, Long> alertsByRule = database.column("select rule_id from alert where practice_id = ?", alarmPractice).stream()
                    .collect(Collectors.groupingBy(rule -> rule, Collectors.counting()));
            Map<String, Long> emailsBySubject = subjectsTo(contact);

            FaultFigures result = new FaultFigures(scenario, injected, AGENTS,
                    AGENTS * BATCH * 1000.0 / EVERY.toMillis(), acknowledged.size() / loadSeconds, acknowledged.size(),
                    distinct.size(), lost.size(), onKafkaTwice(acknowledged), alertsByRule.size(), twice(alertsByRule),
                    emailsBySubject.values().stream().mapToLong(Long::longValue).sum(), twice(emailsBySubject), recoverSeconds);
            figures.add(result);
            System.out.println(result.line());

            assertThat(lost).as("events acknowledged to agents but missing from the fleet projection").isEmpty();
            assertThat(alertsByRule).as("alerts of the failing practice, by rule").containsEntry("nas-copy", 1L)
                    .allSatisfy((rule, count) -> assertThat(count).as("alerts for rule " + rule).isEqualTo(1L));
            assertThat(emailsBySubject).as("emails to the failing practice's contact, by subject")
                    .allSatisfy((subject, count) -> assertThat(count).as("emails '" + subject + "'").isEqualTo(1L));
        }
    }

    /**
     * How many of these events the agent-events topic holds more than once: batches sent again after a lost answer
     * (the projection's event history keys on the event id, so each is applied once whatever this says).
     */
    private long onKafkaTwice(Set<String> eventIds) throws Exception {
        Map<String, Long> copies = new java.util.HashMap<>();
        for (var record : io.rampart.controlplane.testing.TopicReader.readAllOrNone("localhost:" + controlPlane.ports().kafka(), "agent-events")) {
            String id = io.rampart.protocol.agent.v1.RecordedEvent.parseFrom(record.value()).getEvent().getEventId();
            if (eventIds.contains(id)) {
                copies.merge(id, 1L, Long::sum);
            }
        }
        return copies.values().stream().filter(count -> count > 1).count();
    }

    private static long twice(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(count -> count - 1).sum();
    }

    /**
     * The ids of the agents' events in the fleet's event history for these practices, one entry per
     * row (not the AGENT_ENROLLED events the control plane writes itself when an agent enrols).
     */
    private List<String> projected(List<String> practiceIds) throws Exception {
        return database.column("select event_id::text from event_history where practice_id = any(?::uuid[]) and type <> 'AGENT_ENROLLED'",
                "{" + String.join(",", practiceIds) + "}");
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(controlPlane.managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Map<String, Long> subjectsTo(String recipient) {
        return java.util.Arrays.stream(mail.getReceivedMessages()).filter(message -> sentTo(message, recipient))
                .collect(Collectors.groupingBy(FaultInjectionIT::subject, Collectors.counting()));
    }

    private static boolean sentTo(MimeMessage message, String recipient) {
        try {
            return java.util.Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(recipient));
        } catch (Exception e) {
            return false;
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "(unreadable)";
        }
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }
}
