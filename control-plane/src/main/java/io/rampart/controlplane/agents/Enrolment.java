package io.rampart.controlplane.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.rampart.controlplane.agents.identity.AgentCertificateAuthority;
import io.rampart.controlplane.agents.identity.AgentCertificateAuthority.SignedCertificate;
import io.rampart.controlplane.events.EventOutbox;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEnrolled;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.RecordedEvent;

/** Issues enrolment tokens and exchanges them, once, for an agent's own identity: a certificate for its key. */
@ApplicationScoped
public class Enrolment {

    private static final Logger LOG = Logger.getLogger(Enrolment.class);
    static final String TOKEN_PREFIX = "rpe_";

    @Inject
    PracticeRepository practices;
    @Inject
    EventOutbox outbox;
    @Inject
    KafkaClients clients;
    @Inject
    Clock clock;
    @Inject
    AgentCertificateAuthority certificateAuthority;

    /** The token in clear text is returned here and never again. */
    @Transactional
    public IssuedToken issueToken(Practice practice, Duration validity) {
        String token = Secrets.newSecret(TOKEN_PREFIX);
        EnrolmentToken stored = new EnrolmentToken();
        stored.id = UUID.randomUUID();
        stored.providerId = practice.providerId;
        stored.groupId = practice.groupId;
        stored.practiceId = practice.id;
        stored.tokenHash = Secrets.hash(token);
        stored.createdAt = clock.instant();
        stored.expiresAt = stored.createdAt.plus(validity);
        stored.persist();
        return new IssuedToken(stored.id, token, practice.id, stored.expiresAt);
    }

    /**
     * Enrols the agent whose one-time token the request carries: stores it, signs its certificate and records its
     * agent_enrolled event in the same transaction (relayed to agent-events by the outbox), so the agent and its
     * event are both kept or neither is.
     *
     * @throws AgentApiException UNAUTHENTICATED for a missing, unknown, used or expired token; INVALID_ARGUMENT for
     *                           a request without a hostname or with a bad certificate request
     */
    @Transactional
    public EnrollResponse enroll(EnrollRequest request) {
        if (request.getEnrolmentToken().isBlank()) {
            throw AgentApiException.unauthenticated("no enrolment token: ask your IT provider for one");
        }
        if (request.getHostname().isBlank()) {
            throw AgentApiException.invalid("hostname is required");
        }
        Instant now = clock.instant();
        // Locked, so that two agents racing with one token cannot both use it.
        List<EnrolmentToken> found = EnrolmentToken.find("tokenHash", Secrets.hash(request.getEnrolmentToken()))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        EnrolmentToken token = found.stream().findFirst().orElseThrow(() -> AgentApiException.unauthenticated(
                "unknown enrolment token: check you copied it whole, or ask your IT provider for a new one"));
        if (token.usedAt != null) {
            throw AgentApiException.unauthenticated("this enrolment token was already used on " + token.usedAt
                    + ": tokens work once; ask your IT provider for a new one");
        }
        if (!token.usableAt(now)) {
            throw AgentApiException.unauthenticated("this enrolment token expired on " + token.expiresAt
                    + ": ask your IT provider for a new one");
        }
        Practice practice = practices.find(token.practiceId).orElseThrow();
        if (practice.decommissioned()) {
            // its tokens expire when it is decommissioned; this holds even for one issued in the same instant
            throw AgentApiException.unauthenticated("the practice \"" + practice.name + "\" was decommissioned on " + practice.decommissionedAt
                    + ": no agent can enrol for it; ask your IT provider");
        }

        Agent agent = new Agent();
        agent.id = UUID.randomUUID();
        // signed before anything is stored: a bad request leaves the token unused
        SignedCertificate certificate = certificateAuthority.sign(request.getCertificateSigningRequest(), agent.id);
        agent.providerId = practice.providerId;
        agent.groupId = practice.groupId;
        agent.practiceId = practice.id;
        agent.certificateIssued(certificate.certificate());
        agent.hostname = request.getHostname();
        agent.agentVersion = request.getAgentVersion();
        agent.operatingSystem = request.getOperatingSystem();
        agent.enrolledAt = now;
        agent.persist();
        token.usedAt = now;
        token.usedByAgentId = agent.id;

        // Through the outbox: Kafka gets the event only if this transaction commits, and then for sure.
        RecordedEvent enrolled = enrolledEvent(agent, now);
        outbox.add(List.of(new EventOutbox.Entry(clients.agentEventsTopic(), enrolled.getPracticeId(),
                UUID.fromString(enrolled.getEvent().getEventId()), enrolled.toByteArray())));
        LOG.infof("Agent %s enrolled into practice %s from %s", agent.id, practice.id, agent.hostname);
        return EnrollResponse.newBuilder()
                .setAgentId(agent.id.toString())
                .setPracticeId(practice.id.toString())
                .setPracticeName(practice.name)
                .setClientCertificate(certificate.der())
                .addCaCertificates(certificate.caDer())
                .build();
    }

    private static RecordedEvent enrolledEvent(Agent agent, Instant now) {
        AgentEvent event = AgentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setPracticeId(agent.practiceId.toString())
                .setOccurredAt(ProtoTime.timestamp(now))
                .setAgentEnrolled(AgentEnrolled.newBuilder()
                        .setAgentId(agent.id.toString())
                        .setHostname(agent.hostname)
                        .setAgentVersion(agent.agentVersion)
                        .setOperatingSystem(agent.operatingSystem))
                .build();
        return RecordedEvent.newBuilder()
                .setEvent(event)
                .setAgentId(agent.id.toString())
                .setPracticeId(agent.practiceId.toString())
                .setGroupId(agent.groupId.toString())
                .setProviderId(agent.providerId.toString())
                .setReceivedAt(ProtoTime.timestamp(now))
                .build();
    }

    public record IssuedToken(UUID id, String token, UUID practiceId, Instant expiresAt) {
    }
}
