package io.rampart.agent.bench;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;

/**
 * One pretend practice agent: enrolled into its own practice, it reports batches of heartbeats
 * and passing backup-folder check results over a channel it shares with other agents.
 */
final class SimulatedAgent {

    static final String VERSION = "bench";
    private static final long DEADLINE_SECONDS = 60;
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String hostname;
    private final String practiceId;
    private final AgentServiceGrpc.AgentServiceBlockingStub stub;
    private final long startedAt = System.nanoTime();

    private SimulatedAgent(String hostname, String practiceId, String credential, Channel channel) {
        this.hostname = hostname;
        this.practiceId = practiceId;
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + credential);
        this.stub = AgentServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Exchanges the ticket's token for an agent credential (AgentService.Enroll). */
    static SimulatedAgent enrol(BenchFleet.Ticket ticket, Channel channel) {
        String hostname = "bench-" + ticket.index();
        EnrollResponse enrolled = AgentServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .enroll(EnrollRequest.newBuilder()
                        .setEnrolmentToken(ticket.token())
                        .setHostname(hostname)
                        .setAgentVersion(VERSION)
                        .setOperatingSystem(System.getProperty("os.name", "unknown"))
                        .build());
        return new SimulatedAgent(hostname, enrolled.getPracticeId(), enrolled.getAgentCredential(), channel);
    }

    AgentConfiguration configuration() {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration();
    }

    ReportEventsRequest nextBatch(int size) {
        Instant now = Instant.now();
        Timestamp occurredAt = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        ReportEventsRequest.Builder batch = ReportEventsRequest.newBuilder();
        for (int i = 0; i < size; i++) {
            AgentEvent.Builder event = AgentEvent.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setPracticeId(practiceId)
                    .setOccurredAt(occurredAt);
            if (i % 2 == 0) {
                event.setHeartbeat(Heartbeat.newBuilder()
                        .setAgentVersion(VERSION)
                        .setHostname(hostname)
                        .setUptime(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt))));
            } else {
                event.setCheckResult(CheckResult.newBuilder()
                        .setCheckId("nas-copy")
                        .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setStatus(CheckStatus.CHECK_STATUS_PASS)
                        .setSummary("newest backup practice-db.bak is 2 hours old and 1.2 GB (benchmark)")
                        .setDuration(com.google.protobuf.Duration.newBuilder().setNanos(15_000_000))
                        .setBackupFolder(BackupFolderObservation.newBuilder()
                                .setPath("\\\\nas\\backups\\practice")
                                .setFileCount(14)
                                .setTotalSizeBytes(16_800_000_000L)
                                .setNewestFile("practice-db.bak")
                                .setNewestModifiedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 7200))
                                .setNewestSizeBytes(1_200_000_000L)));
            }
            batch.addEvents(event);
        }
        return batch.build();
    }

    /** Sends one batch and waits for the acknowledgement (the control plane answers once Kafka holds it). */
    ReportEventsResponse report(ReportEventsRequest batch) {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).reportEvents(batch);
    }
}
