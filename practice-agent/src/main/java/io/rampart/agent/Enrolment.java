package io.rampart.agent;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.transport.ControlPlaneClient;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;

/** Exchanges a single-use enrolment token for this agent's own identity and keeps it in the agent's home. */
public final class Enrolment {

    private static final Logger LOG = Logger.getLogger(Enrolment.class.getName());

    private Enrolment() {
    }

    /**
     * Enrols and writes {@code agent.properties} (owner-only). A refused token surfaces as the
     * {@link io.grpc.StatusRuntimeException} the control plane sent (UNAUTHENTICATED), unchanged.
     */
    public static EnrolledIdentity enroll(AgentHome home, URI server, String token, String hostname) {
        EnrollResponse response;
        try (ControlPlaneClient client = ControlPlaneClient.connect(server, Optional.empty())) {
            response = client.enroll(EnrollRequest.newBuilder()
                    .setEnrolmentToken(token)
                    .setHostname(hostname)
                    .setAgentVersion(AgentVersion.current())
                    .setOperatingSystem(ThisComputer.operatingSystem())
                    .build());
        }
        EnrolledIdentity identity = new EnrolledIdentity(server, response.getAgentId(), response.getPracticeId(),
                response.getPracticeName(), response.getAgentCredential());
        home.writeIdentity(identity);
        LOG.info("enrolled as agent " + identity.agentId() + " of practice " + identity.practiceId() + " (" + identity.practiceName() + ")");
        return identity;
    }
}
