package io.rampart.controlplane.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.google.protobuf.Timestamp;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.agents.identity.AgentCertificateAuthority.SignedCertificate;
import io.rampart.controlplane.events.AgentEventLog;
import io.rampart.controlplane.events.EventLogUnavailable;
import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.sources.PracticeConfigurations;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.GetConfigurationResponse;
import io.rampart.protocol.agent.v1.RecordedEvent;
import io.rampart.protocol.agent.v1.RenewCertificateRequest;
import io.rampart.protocol.agent.v1.RenewCertificateResponse;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;
import io.rampart.protocol.agent.v1.WatchConfigurationRequest;
import io.rampart.protocol.agent.v1.WatchConfigurationResponse;

/** The gRPC API agents call: enrolment, certificate renewal, event delivery and their desired configuration. */
@GrpcService
public class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {

    private static final Logger LOG = Logger.getLogger(AgentGrpcService.class);

    @Inject
    Enrolment enrolment;
    @Inject
    AgentAuthenticator authenticator;
    @Inject
    AgentEventLog eventLog;
    @Inject
    DesiredConfiguration desiredConfiguration;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;
    @Inject
    AgentRateLimiter rateLimiter;
    @Inject
    CertificateRenewal renewal;
    @Inject
    IngestMeters ingest;
    @Inject
    PracticeConfigurations configurations;
    @Inject
    ConfigurationWatch watch;

    @Override
    @Blocking
    public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> response) {
        answer(response, () -> enrolment.enroll(request));
    }

    @Override
    @Blocking
    public void renewCertificate(RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> response) {
        answer(response, () -> {
            AgentIdentity agent = authenticator.current();
            rateLimiter.acquire(agent.agentId());
            SignedCertificate certificate = renewal.renew(agent, request.getCertificateSigningRequest());
            return RenewCertificateResponse.newBuilder()
                    .setClientCertificate(certificate.der())
                    .addCaCertificates(certificate.caDer())
                    .build();
        });
    }

    @Override
    @Blocking
    public void reportEvents(ReportEventsRequest request, StreamObserver<ReportEventsResponse> response) {
        answer(response, () -> countingRefusals(request, () -> report(request)));
    }

    /** Counts what a refusal of the call refused (IngestMeters), then refuses it as before. */
    private <T> T countingRefusals(ReportEventsRequest request, Supplier<T> call) {
        try {
            return call.get();
        } catch (AgentApiException refused) {
            ingest.refused(refused, request.getEventsCount());
            throw refused;
        }
    }

    private ReportEventsResponse report(ReportEventsRequest request) {
        AgentIdentity agent = authenticator.current();
        rateLimiter.acquire(agent.agentId());
        MDC.put("agent", " agent=" + agent.agentId());
        MDC.put("practice", "practice=" + agent.tenancy().practiceId());
        try {
            Instant now = clock.instant();
            try {
                EventBatchValidator.validate(request.getEventsList(), agent, config.agents().maxBatchSize(), now);
            } catch (AgentApiException refused) {
                if (refused.badRequest() != null) {
                    // one agent's poison never reaches the projections, and the operator sees it (IngestMeters counts it)
                    LOG.warnf("Refused a batch of %d events: %s", request.getEventsCount(), refused.getMessage());
                }
                throw refused;
            }
            Timestamp receivedAt = ProtoTime.timestamp(now);
            // the agent's clock against ours, for the practice's page (a wrong clock dates backups wrongly)
            Optional<com.google.protobuf.Duration> clockOffset = request.hasSentAt()
                    && com.google.protobuf.util.Timestamps.isValid(request.getSentAt())
                            ? Optional.of(ProtoTime.duration(Duration.between(now, ProtoTime.instant(request.getSentAt()))))
                            : Optional.empty();
            List<RecordedEvent> recorded = new ArrayList<>(request.getEventsCount());
            ReportEventsResponse.Builder acknowledgement = ReportEventsResponse.newBuilder();
            for (AgentEvent event : request.getEventsList()) {
                RecordedEvent.Builder record = RecordedEvent.newBuilder()
                        .setEvent(event)
                        .setAgentId(agent.agentId().toString())
                        .setPracticeId(agent.tenancy().practiceId().toString())
                        .setGroupId(agent.tenancy().groupId().toString())
                        .setProviderId(agent.tenancy().providerId().toString())
                        .setReceivedAt(receivedAt);
                clockOffset.ifPresent(record::setAgentClockOffset);
                recorded.add(record.build());
                acknowledgement.addAcknowledgedEventIds(event.getEventId());
            }
            if (!recorded.isEmpty()) {
                eventLog.append(recorded);
                ingest.ingested(recorded.size());
            }
            return acknowledgement.build();
        } catch (EventLogUnavailable e) {
            throw eventLogUnavailable(e);
        } finally {
            MDC.remove("agent");
            MDC.remove("practice");
        }
    }

    @Override
    @Blocking
    public void getConfiguration(GetConfigurationRequest request, StreamObserver<GetConfigurationResponse> response) {
        answer(response, () -> {
            AgentIdentity agent = authenticator.current();
            rateLimiter.acquire(agent.agentId());
            return GetConfigurationResponse.newBuilder()
                    .setConfiguration(configurationOf(agent))
                    .build();
        });
    }

    @Override
    @Blocking
    public void watchConfiguration(WatchConfigurationRequest request, StreamObserver<WatchConfigurationResponse> response) {
        AgentIdentity agent;
        try {
            agent = authenticator.current();
            rateLimiter.acquire(agent.agentId());
        } catch (AgentApiException e) {
            response.onError(e.toStatus());
            return;
        }
        // the stream stays open after this returns; ConfigurationWatch sends the current configuration and every change
        watch.watch(agent, response);
    }

    /** The practice's checks with its sources, and the secrets sealed for this agent. */
    private io.rampart.protocol.agent.v1.AgentConfiguration configurationOf(AgentIdentity agent) {
        return configurations.forPractice(agent.tenancy().practiceId())
                .orElseThrow(() -> AgentApiException.unauthenticated("the practice of agent " + agent.agentId() + " is gone"))
                .forAgent(agent.agentId());
    }

    private static AgentApiException eventLogUnavailable(EventLogUnavailable e) {
        LOG.warnf("The event log did not take a batch: %s", e.getMessage());
        return AgentApiException.unavailable("the control plane cannot store events right now; keep them and retry");
    }

    /** The one place where refusals become gRPC statuses; anything unexpected is INTERNAL and logged. */
    private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (AgentApiException e) {
            response.onError(e.toStatus());
            return;
        } catch (RuntimeException e) {
            LOG.error("Agent call failed", e);
            response.onError(Status.INTERNAL.withDescription("internal error in the control plane").asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
