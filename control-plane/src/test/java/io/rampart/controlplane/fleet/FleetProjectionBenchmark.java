package io.rampart.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.ReliableProducer;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * How many events per second the fleet projection applies. Publishes a backlog straight to
 * agent-events while the projection is stopped, then starts it and times the drain from the
 * first applied event to the last (so the consumer group's join does not count). Prints, never
 * asserts a speed. Run with:
 * {@code ./mvnw -o -q -pl control-plane test -Dcp.build.directory=/tmp/build-projection -Dtest=FleetProjectionBenchmark -Dbenchmark=true}
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FleetProjectionBenchmark {

    private static final int EVENTS = Integer.getInteger("benchmark.events", 50_000);
    private static final int AGENTS = 500;
    private static final int CHECKS_PER_AGENT = 5;
    /** Every n-th record is delivered twice, as after an agent's retry. */
    private static final int DUPLICATE_EVERY = 100;

    @Inject
    FleetProjectionConsumer projection;
    @Inject
    ReliableProducer producer;
    @Inject
    KafkaClients clients;
    @Inject
    MeterRegistry registry;

    @Test
    void drainsABacklog() throws Exception {
        List<ReliableProducer.Keyed> records = backlog();
        projection.stop();
        long publishStart = System.nanoTime();
        for (int from = 0; from < records.size(); from += 1000) {
            producer.write(clients.agentEventsTopic(), records.subList(from, Math.min(records.size(), from + 1000)));
        }
        Duration publishing = Duration.ofNanos(System.nanoTime() - publishStart);

        double before = processed();
        double appliedBefore = counter("applied");
        projection.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (processed() == before) {
            Thread.sleep(1);
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        long start = System.nanoTime();
        while (processed() - before < records.size()) {
            Thread.sleep(5);
            assertThat(System.nanoTime()).as("the projection drains the backlog").isLessThan(deadline);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(counter("applied") - appliedBefore).isEqualTo(EVENTS);
        System.out.printf("%nFleetProjectionBenchmark: %d records (%d events + %d duplicates) published in %.1f s, "
                + "projected in %.2f s: %.0f events/s%n%n", records.size(), EVENTS, records.size() - EVENTS,
                publishing.toMillis() / 1e3, seconds, records.size() / seconds);
    }

    /** Heartbeats and backup-folder results of many agents, interleaved as agents report. */
    private static List<ReliableProducer.Keyed> backlog() {
        List<UUID[]> agents = new ArrayList<>();
        UUID provider = UUID.randomUUID();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(new UUID[] { UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID() }); // agent, practice, group
        }
        Instant start = Instant.now().minus(Duration.ofDays(1));
        List<ReliableProducer.Keyed> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            UUID[] agent = agents.get(i % AGENTS);
            Instant at = start.plusMillis(i);
            AgentEvent.Builder event = AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setPracticeId(agent[1].toString()).setOccurredAt(ProtoTime.timestamp(at));
            if (i % 5 == 0) {
                event.setHeartbeat(Heartbeat.newBuilder().setHostname("server-" + (i % AGENTS)).setAgentVersion("1.0." + i));
            } else {
                event.setCheckResult(CheckResult.newBuilder().setCheckId("check-" + (i % CHECKS_PER_AGENT))
                        .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setStatus(i % 7 == 0 ? CheckStatus.CHECK_STATUS_FAIL : CheckStatus.CHECK_STATUS_PASS)
                        .setSummary("observation " + i)
                        .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/srv/nas").setFileCount(i)
                                .setNewestFile("clinical-" + i + ".bak").setNewestModifiedAt(ProtoTime.timestamp(at))));
            }
            RecordedEvent recorded = RecordedEvent.newBuilder().setEvent(event).setAgentId(agent[0].toString())
                    .setPracticeId(agent[1].toString()).setGroupId(agent[2].toString()).setProviderId(provider.toString())
                    .setReceivedAt(ProtoTime.timestamp(at.plusMillis(50))).build();
            ReliableProducer.Keyed record = new ReliableProducer.Keyed(recorded.getPracticeId(), recorded.toByteArray());
            records.add(record);
            if (i % DUPLICATE_EVERY == 0) {
                records.add(record);
            }
        }
        return records;
    }

    private double processed() {
        return counter("applied") + counter("duplicate");
    }

    private double counter(String outcome) {
        return registry.counter("rampart.projection.events", "outcome", outcome).count();
    }
}
