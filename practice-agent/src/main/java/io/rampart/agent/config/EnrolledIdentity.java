package io.rampart.agent.config;

import java.net.URI;
import java.util.Objects;

/** Who this agent is to the control plane, as granted at enrolment. */
public record EnrolledIdentity(URI server, String agentId, String practiceId, String practiceName, String credential) {

    public EnrolledIdentity {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(practiceId, "practiceId");
        practiceName = practiceName == null ? "" : practiceName;
        Objects.requireNonNull(credential, "credential");
    }

    /** Never prints the credential: identities end up in logs and exception messages. */
    @Override
    public String toString() {
        return "EnrolledIdentity[server=" + server + ", agentId=" + agentId + ", practiceId=" + practiceId
                + ", practiceName=" + practiceName + ", credential=***]";
    }
}
