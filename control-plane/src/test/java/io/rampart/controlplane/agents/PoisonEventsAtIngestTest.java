package io.rampart.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.fleet.AgentPresence;
import io.rampart.controlplane.fleet.EventHistory;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.UsbRotationObservation;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * A record no store can take (a USB label with a NUL) is refused at ingest, named by event and field, and never
 * reaches Kafka, so the fleet projection goes on for every practice: the agent's next good batch and another
 * practice's are projected.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PoisonEventsAtIngestTest {

    @Inject
    TestFleet fleet;

    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void disconnect() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void refusesABatchWithANulLabelNamingTheEventAndTheProjectionGoesOnForEveryone() {
        Enrolled agent = enrol("Nul Label Surgery");
        Enrolled neighbour = enrol("Next Door Practice");
        AgentEvent good = heartbeat(agent.practiceId());
        AgentEvent poison = usbLabel(agent.practiceId(), "USB\u0000X");

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(good).addEvents(poison).build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).startsWith("1 of 2 events can never be stored: events[1].check_result.usb_rotation."
                + "attached_label: event " + poison.getEventId() + ": check_result.usb_rotation.attached_label contains a NUL character (U+0000)"
                + " at position 3; PostgreSQL text cannot store it").endsWith(
                        "Nothing of this batch was kept: set the event named aside and send the rest again");
        BadRequest detail = badRequest(refused);
        assertThat(detail.getFieldViolationsList()).extracting(FieldViolation::getField)
                .containsExactly("events[1].check_result.usb_rotation.attached_label");
        assertThat(detail.getFieldViolations(0).getDescription()).startsWith("event " + poison.getEventId() + ": ");

        // the agent sets the named event aside and sends the rest again; another practice reports too
        Instant before = Instant.now();
        agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(good)
                .addEvents(heartbeat(agent.practiceId()).toBuilder().setHeartbeat(Heartbeat.newBuilder().setHostname("nul-server")
                        .setEventsSetAside(1).setOldestSetAsideAt(ProtoTime.timestamp(before))))
                .build());
        neighbour.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(heartbeat(neighbour.practiceId())).build());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(presence(agent.agentId())).hasValueSatisfying(p -> {
                assertThat(p.lastSeenAt).isAfterOrEqualTo(before.minusSeconds(1));
                assertThat(p.setAside()).isOne();
            });
            assertThat(presence(neighbour.agentId())).hasValueSatisfying(p -> assertThat(p.lastSeenAt).isAfterOrEqualTo(before.minusSeconds(1)));
        });
        assertThat(inHistory(good.getEventId())).isTrue();
        assertThat(inHistory(poison.getEventId())).isFalse();
        assertThat(TopicReader.readAll("agent-events")).extracting(record -> parse(record.value()).getEvent().getEventId())
                .contains(good.getEventId()).doesNotContain(poison.getEventId());
    }

    @Test
    void refusesAnEventDatedCenturiesAheadAndTakesOneDatedHoursAhead() {
        Enrolled agent = enrol("Fast Clock Surgery");
        AgentEvent centuries = heartbeat(agent.practiceId()).toBuilder()
                .setOccurredAt(ProtoTime.timestamp(Instant.parse("2999-01-01T00:00:00Z"))).build();
        AgentEvent hours = heartbeat(agent.practiceId()).toBuilder()
                .setOccurredAt(ProtoTime.timestamp(Instant.now().plus(Duration.ofHours(5)))).build();

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(hours).addEvents(centuries).build()));

        assertThat(badRequest(refused).getFieldViolationsList()).singleElement().satisfies(v -> {
            assertThat(v.getField()).isEqualTo("events[1].occurred_at");
            assertThat(v.getDescription()).contains("occurred_at is 2999-01-01T00:00:00Z, more than 366 days ahead of the control plane's clock");
        });
        assertThat(agent.stub().reportEvents(ReportEventsRequest.newBuilder().addEvents(hours).build()).getAcknowledgedEventIdsList())
                .containsExactly(hours.getEventId());
    }

    private static RecordedEvent parse(byte[] value) {
        try {
            return RecordedEvent.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static BadRequest badRequest(StatusRuntimeException refused) {
        com.google.rpc.Status rich = StatusProto.fromThrowable(refused);
        assertThat(rich).as("a google.rpc.Status detail").isNotNull();
        try {
            return rich.getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<AgentPresence> presence(String agentId) {
        return QuarkusTransaction.requiringNew().call(() -> AgentPresence.<AgentPresence> findByIdOptional(UUID.fromString(agentId)));
    }

    private static boolean inHistory(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> EventHistory.findByIdOptional(UUID.fromString(eventId)).isPresent());
    }

    private record Enrolled(String agentId, String practiceId, AgentServiceBlockingStub stub) {
    }

    private Enrolled enrol(String practiceName) {
        Practice practice = fleet.newPractice(practiceName);
        KeyPair keys = CertificateRequests.newKeyPair();
        EnrollResponse enrolled = stub(fleet.channel()).enroll(EnrollRequest.newBuilder().setEnrolmentToken(fleet.token(practice))
                .setHostname("test-host").setAgentVersion("test").setOperatingSystem("Linux")
                .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, "test-host"))).build());
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        return new Enrolled(enrolled.getAgentId(), enrolled.getPracticeId(), stub(fleet.channel(certificate, keys.getPrivate())));
    }

    private AgentServiceBlockingStub stub(ManagedChannel channel) {
        channels.add(channel);
        return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static AgentEvent heartbeat(String practiceId) {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practiceId)
                .setOccurredAt(ProtoTime.timestamp(Instant.now())).setHeartbeat(Heartbeat.newBuilder().setHostname("test-host")).build();
    }

    private static AgentEvent usbLabel(String practiceId, String label) {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practiceId)
                .setOccurredAt(ProtoTime.timestamp(Instant.now()))
                .setCheckResult(CheckResult.newBuilder().setCheckId("usb-rotation").setKind(CheckKind.CHECK_KIND_USB_ROTATION)
                        .setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("USB drive attached")
                        .setUsbRotation(UsbRotationObservation.newBuilder().setAttachedMediaId("vol-1").setAttachedLabel(label)))
                .build();
    }
}
