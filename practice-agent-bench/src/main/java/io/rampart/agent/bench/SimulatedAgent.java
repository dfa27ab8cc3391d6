package io.rampart.agent.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

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
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * One pretend practice agent: enrolled into its own practice with its own key pair and
 * certificate, it reports batches of heartbeats and passing backup-folder check results over its
 * own mutual-TLS connection, as a real agent does.
 *
 * <p>
 * Public so that other load tests (the control plane's fault-injection suite) drive the same
 * agents as the benchmark: {@link #enrol(int, String, Channel, String, List)}, {@link #nextBatch},
 * {@link #report}.
 */
public final class SimulatedAgent implements AutoCloseable {

    static final String VERSION = "bench";
    private static final long DEADLINE_SECONDS = 60;

    private final String hostname;
    private final String practiceId;
    private final ManagedChannel channel;
    private final AgentServiceGrpc.AgentServiceBlockingStub stub;
    private final long startedAt = System.nanoTime();

    private SimulatedAgent(String hostname, String practiceId, ManagedChannel channel) {
        this.hostname = hostname;
        this.practiceId = practiceId;
        this.channel = channel;
        this.stub = AgentServiceGrpc.newBlockingStub(channel);
    }

    /**
     * Exchanges the ticket's token and a certificate request for a certificate (over the shared
     * enrolment channel), then connects with it to {@code host:port}.
     */
    static SimulatedAgent enrol(BenchFleet.Ticket ticket, Channel enrolment, String target, List<X509Certificate> ca) {
        String hostname = "bench-" + ticket.index();
        KeyPair keys = CertificateRequests.newKeyPair();
        EnrollResponse enrolled = AgentServiceGrpc.newBlockingStub(enrolment)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .enroll(EnrollRequest.newBuilder()
                        .setEnrolmentToken(ticket.token())
                        .setHostname(hostname)
                        .setAgentVersion(VERSION)
                        .setOperatingSystem(System.getProperty("os.name", "unknown"))
                        .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, hostname)))
                        .build());
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        try {
            ChannelCredentials mutualTls = TlsChannelCredentials.newBuilder()
                    .keyManager(pem(Pem.certificates(List.of(certificate))), pem(Pem.privateKey(keys.getPrivate())))
                    .trustManager(pem(Pem.certificates(ca)))
                    .build();
            return new SimulatedAgent(hostname, enrolled.getPracticeId(), Grpc.newChannelBuilder(target, mutualTls).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As the benchmark enrols: host name {@code bench-<index>}, the single-use enrolment
     * {@code token}, the enrolment call over {@code enrolment} (TLS trusting {@code ca}, see
     * {@link #trusting}), then its own mutual-TLS connection to {@code target} (host:port).
     *
     * @throws io.grpc.StatusRuntimeException when the control plane refuses the enrolment
     */
    public static SimulatedAgent enrol(int index, String token, Channel enrolment, String target, List<X509Certificate> ca) {
        return enrol(new BenchFleet.Ticket(index, null, token), enrolment, target, ca);
    }

    /** The practice the control plane enrolled this agent into. */
    public String practiceId() {
        return practiceId;
    }

    /** TLS trusting only the control plane's CA, for enrolment. */
    public static ChannelCredentials trusting(List<X509Certificate> ca) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(pem(Pem.certificates(ca))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    AgentConfiguration configuration() {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration();
    }

    /** {@code size} new events (heartbeats and passing check results alternately), each with a new random id. */
    public ReportEventsRequest nextBatch(int size) {
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
    public ReportEventsResponse report(ReportEventsRequest batch) {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).reportEvents(batch);
    }
}
