package io.rampart.agent.config;

import java.net.URI;
import java.util.Objects;

/** Who this agent is to the control plane, as granted at enrolment; its proof is the agent's certificate. */
public record EnrolledIdentity(URI server, String agentId, String practiceId, String practiceName) {

    public EnrolledIdentity {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(practiceId, "practiceId");
        practiceName = practiceName == null ? "" : practiceName;
    }
}
