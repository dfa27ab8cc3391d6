package io.rampart.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.agents.identity.AgentCertificateAuthority;
import io.rampart.controlplane.fleet.EventHistory;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RenewCertificateRequest;
import io.rampart.protocol.agent.v1.RenewCertificateResponse;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;
import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * Bad input from agents gets a clear gRPC status and loses nothing that was valid; an agent is
 * known only by a certificate from the agents' CA and the key that goes with it.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class AgentApiRejectionsTest {

    @Inject
    TestFleet fleet;

    @Inject
    AgentCertificateAuthority certificateAuthority;

    private final List<ManagedChannel> channels = new ArrayList<>();
    private AgentServiceBlockingStub anonymous;

    @BeforeEach
    void connect() {
        anonymous = stub(fleet.channel());
    }

    @AfterEach
    void disconnect() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void refusesAnUnknownEnrolmentToken() {
        assertThatThrownBy(() -> anonymous.enroll(enrollRequest("rpe_not-a-real-token")))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "unknown enrolment token"));
    }

    @Test
    void refusesAnEnrolmentTokenUsedTwice() {
        Practice practice = fleet.newPractice("Twice Street Surgery");
        String token = fleet.token(practice);
        EnrollResponse first = anonymous.enroll(enrollRequest(token, CertificateRequests.newKeyPair()));
        assertThat(first.getPracticeId()).isEqualTo(practice.id.toString());
        assertThat(CertificateAuthority.agentId(Pem.certificate(first.getClientCertificate().toByteArray())))
                .contains(first.getAgentId());
        assertThat(first.getCaCertificatesList()).hasSize(1);

        assertThatThrownBy(() -> anonymous.enroll(enrollRequest(token)))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "already used"));
    }

    @Test
    void refusesAnExpiredEnrolmentToken() {
        Practice practice = fleet.newPractice("Expired Lane Practice");
        String token = fleet.token(practice, Duration.ofMillis(1));
        await().pollDelay(Duration.ofMillis(5)).until(() -> true);

        assertThatThrownBy(() -> anonymous.enroll(enrollRequest(token)))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "expired"));
    }

    @Test
    void refusesAnEnrolmentWithoutACertificateRequestOrWithAForgedOneAndTheTokenStaysUsable() {
        Practice practice = fleet.newPractice("Forged Request Surgery");
        String token = fleet.token(practice);
        byte[] request = CertificateRequests.request(CertificateRequests.newKeyPair(), "x");
        request[request.length - 3] ^= 0x5a;

        assertThatThrownBy(() -> anonymous.enroll(enrollRequest(token, null)))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "no certificate signing request"));
        assertThatThrownBy(() -> anonymous.enroll(enrollRequest(token, null).toBuilder()
                .setCertificateSigningRequest(ByteString.copyFrom(request)).build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "signature"));
        assertThat(anonymous.enroll(enrollRequest(token, CertificateRequests.newKeyPair())).getPracticeId())
                .isEqualTo(practice.id.toString());
    }

    @Test
    void refusesCallsWithoutACertificateOrWithACertificateNamingNoEnrolledAgent() {
        assertThatThrownBy(() -> anonymous.getConfiguration(GetConfigurationRequest.getDefaultInstance()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "no client certificate"));

        KeyPair keys = CertificateRequests.newKeyPair();
        UUID nobody = UUID.randomUUID();
        AgentServiceBlockingStub ghost = stub(fleet.channel(certificateAuthority.sign(
                ByteString.copyFrom(CertificateRequests.request(keys, "x")), nobody).certificate(), keys.getPrivate()));
        assertThatThrownBy(() -> ghost.reportEvents(ReportEventsRequest.newBuilder().addEvents(heartbeat(UUID.randomUUID().toString())).build()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "agent " + nobody + " is not enrolled here"));
    }

    @Test
    void refusesAnotherAgentsCertificateWithoutItsKeyAndACertificateFromAnotherCa() {
        Enrolled victim = enrol("Victim Lane Surgery");
        KeyPair thief = CertificateRequests.newKeyPair();
        AgentServiceBlockingStub stolenCertificate = stub(fleet.channel(victim.certificate(), thief.getPrivate()));
        assertThatThrownBy(() -> stolenCertificate.getConfiguration(GetConfigurationRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        CertificateAuthority otherCa = CertificateAuthority.create("Rampart agent CA", Instant.now(), Duration.ofDays(1));
        X509Certificate forged = otherCa.signAgent(CertificateRequests.request(thief, "x"), victim.agentId(), Instant.now(),
                Duration.ofDays(1));
        AgentServiceBlockingStub forger = stub(fleet.channel(forged, thief.getPrivate()));
        AgentEvent forgedHeartbeat = heartbeat(victim.practiceId());
        assertThatThrownBy(() -> forger.reportEvents(ReportEventsRequest.newBuilder().addEvents(forgedHeartbeat).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        // events reach the history through Kafka: once the victim's own later heartbeat is there, a forged one would be too
        AgentEvent genuine = heartbeat(victim.practiceId());
        victim.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(genuine).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded(genuine) && historyOf(victim.practiceId()) >= 2);
        assertThat(recorded(forgedHeartbeat)).isFalse();
        assertThat(historyOf(victim.practiceId())).isEqualTo(2); // its enrolment and its own heartbeat
    }

    @Test
    void renewsTheCertificateOfAnAgentThatHasOneButNotOfARevokedAgent() {
        Enrolled agent = enrol("Renewal Road Practice");
        KeyPair next = CertificateRequests.newKeyPair();

        RenewCertificateResponse renewed = agent.stub().renewCertificate(RenewCertificateRequest.newBuilder()
                .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(next, "x"))).build());
        X509Certificate certificate = Pem.certificate(renewed.getClientCertificate().toByteArray());
        assertThat(certificate.getPublicKey()).isEqualTo(next.getPublic());
        assertThat(CertificateAuthority.agentId(certificate)).contains(agent.agentId());
        AgentServiceBlockingStub withRenewed = stub(fleet.channel(certificate, next.getPrivate()));
        assertThat(withRenewed.getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration().getChecksCount()).isOne();

        io.restassured.RestAssured.given().auth().oauth2(Tokens.of("alice"))
                .post("/api/agents/{id}/revoke", agent.agentId()).then().statusCode(200);
        assertThatThrownBy(() -> withRenewed.renewCertificate(RenewCertificateRequest.newBuilder()
                .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(next, "x"))).build()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "was revoked"));
    }

    @Test
    void refusesARevokedAgentWithAClearMessage() {
        Enrolled agent = enrol("Revoked Row Surgery");
        agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(heartbeat(agent.practiceId())).build());

        io.restassured.RestAssured.given().auth().oauth2(Tokens.of("alice"))
                .post("/api/agents/{id}/revoke", agent.agentId()).then().statusCode(200);

        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder()
                .addEvents(heartbeat(agent.practiceId())).build()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "was revoked"));
        assertThatThrownBy(() -> agent.stub().getConfiguration(GetConfigurationRequest.getDefaultInstance()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "was revoked"));
    }

    @Test
    void slowsDownAnAgentCallingFasterThanItsRateLimit() throws Exception {
        Enrolled agent = enrol("Hasty Lane Practice");
        // all at once, so that how fast one call is (TLS, a busy machine) cannot refill the bucket in time
        AgentServiceGrpc.AgentServiceFutureStub hasty = AgentServiceGrpc.newFutureStub(agent.stub().getChannel());
        List<com.google.common.util.concurrent.ListenableFuture<?>> calls = new ArrayList<>();
        for (int call = 0; call < 300; call++) {
            calls.add(hasty.withDeadlineAfter(60, TimeUnit.SECONDS).getConfiguration(GetConfigurationRequest.getDefaultInstance()));
        }
        List<Status> refusals = new ArrayList<>();
        for (var call : calls) {
            try {
                call.get();
            } catch (java.util.concurrent.ExecutionException e) {
                refusals.add(Status.fromThrowable(e.getCause()));
            }
        }
        assertThat(refusals).isNotEmpty().allSatisfy(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("calls per second");
        });
    }

    @Test
    void refusesAnOversizedBatchWholeAndTakesTheSameEventsInAllowedBatches() {
        Enrolled agent = enrol("Oversized Road Surgery");
        List<AgentEvent> events = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            events.add(heartbeat(agent.practiceId()));
        }
        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addAllEvents(events).build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "batch of 501 events exceeds the limit of 500"));

        ReportEventsResponse first = agent.stub().reportEvents(ReportEventsRequest.newBuilder().addAllEvents(events.subList(0, 500)).build());
        ReportEventsResponse rest = agent.stub().reportEvents(ReportEventsRequest.newBuilder().addAllEvents(events.subList(500, 501)).build());
        assertThat(first.getAcknowledgedEventIdsCount() + rest.getAcknowledgedEventIdsCount()).isEqualTo(501);
        // 501 heartbeats plus the enrolment event, each once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(historyOf(agent.practiceId())).isEqualTo(502));
    }

    @Test
    void refusesABatchTooLargeInBytesBeforeReadingIt() {
        Enrolled agent = enrol("Heavy Street Practice");
        AgentEvent huge = heartbeat(agent.practiceId()).toBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setHostname("x".repeat(5 * 1024 * 1024))).build();
        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(huge).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void refusesAMalformedEventNamingItAndKeepsNothingOfThatBatch() {
        Enrolled agent = enrol("Malformed Mews Surgery");
        AgentEvent valid = heartbeat(agent.practiceId());
        AgentEvent noId = heartbeat(agent.practiceId()).toBuilder().setEventId("not-a-uuid").build();
        AgentEvent noPayload = AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setPracticeId(agent.practiceId()).setOccurredAt(now()).build();

        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(valid).addEvents(noId).build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "event 1 (not-a-uuid): event_id must be a UUID"));
        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(noPayload).build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "no payload"));

        // the valid event, sent again on its own, is taken
        agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(valid).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> EventHistory.<EventHistory> findByIdOptional(UUID.fromString(valid.getEventId())))).isPresent());
    }

    @Test
    void refusesEventsNamingAnotherPractice() {
        Enrolled agent = enrol("Honest Street Surgery");
        Practice other = fleet.newPractice("Someone Else's Practice");
        AgentEvent foreign = heartbeat(other.id.toString());

        assertThatThrownBy(() -> agent.stub().reportEvents(ReportEventsRequest.newBuilder()
                .addEvents(heartbeat(agent.practiceId())).addEvents(foreign).build()))
                .satisfies(e -> assertStatus(e, Status.Code.PERMISSION_DENIED, "may report only for it"));
        AgentEvent own = heartbeat(agent.practiceId());
        agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(own).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded(own));
        assertThat(recorded(foreign)).isFalse();
        assertThat(historyOf(other.id.toString())).isZero();
    }

    @Test
    void acknowledgesEveryEventOfAValidBatchById() {
        Enrolled agent = enrol("Valid Avenue Practice");
        AgentEvent a = heartbeat(agent.practiceId());
        AgentEvent b = heartbeat(agent.practiceId());
        ReportEventsResponse response = agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(a).addEvents(b).build());
        assertThat(response.getAcknowledgedEventIdsList()).containsExactly(a.getEventId(), b.getEventId());
        assertThat(agent.stub().getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration().getChecksList())
                .extracting(c -> c.getCheckId()).containsExactly("nas-copy");
    }

    private record Enrolled(String agentId, String practiceId, X509Certificate certificate, AgentServiceBlockingStub stub) {
    }

    private Enrolled enrol(String practiceName) {
        Practice practice = fleet.newPractice(practiceName);
        KeyPair keys = CertificateRequests.newKeyPair();
        EnrollResponse enrolled = anonymous.enroll(enrollRequest(fleet.token(practice), keys));
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        return new Enrolled(enrolled.getAgentId(), enrolled.getPracticeId(), certificate, stub(fleet.channel(certificate, keys.getPrivate())));
    }

    private AgentServiceBlockingStub stub(ManagedChannel channel) {
        channels.add(channel);
        return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static boolean recorded(AgentEvent event) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> EventHistory.findByIdOptional(UUID.fromString(event.getEventId())).isPresent());
    }

    private static long historyOf(String practiceId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> EventHistory.count("practiceId", UUID.fromString(practiceId)));
    }

    private static EnrollRequest enrollRequest(String token) {
        return enrollRequest(token, CertificateRequests.newKeyPair());
    }

    /** With a certificate request for the keys, or none when {@code keys} is null. */
    private static EnrollRequest enrollRequest(String token, KeyPair keys) {
        EnrollRequest.Builder request = EnrollRequest.newBuilder().setEnrolmentToken(token).setHostname("test-host")
                .setAgentVersion("test").setOperatingSystem("Linux");
        if (keys != null) {
            request.setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, "test-host")));
        }
        return request.build();
    }

    private static AgentEvent heartbeat(String practiceId) {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practiceId)
                .setOccurredAt(now()).setHeartbeat(Heartbeat.newBuilder().setHostname("test-host").setAgentVersion("test"))
                .build();
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    private static void assertStatus(Throwable thrown, Status.Code code, String messagePart) {
        assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) thrown).getStatus();
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).contains(messagePart);
    }
}
