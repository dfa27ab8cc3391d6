package io.rampart.controlplane.agents;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Turns the credential of the current call into the agent it belongs to, or refuses the call. */
@ApplicationScoped
public class AgentAuthenticator {

    @Inject
    AgentRepository agents;

    @Transactional
    public AgentIdentity authenticate(String credential) {
        if (credential == null || credential.isBlank()) {
            throw AgentApiException.unauthenticated(
                    "no agent credential: send `authorization: Bearer <credential>`, or enrol the agent first");
        }
        Agent agent = agents.findByCredential(credential).orElseThrow(() -> AgentApiException.unauthenticated(
                "unknown agent credential: this agent is not enrolled here; enrol it again with a new token"));
        if (agent.revoked()) {
            throw AgentApiException.unauthenticated("agent " + agent.id + " was revoked on " + agent.revokedAt
                    + "; enrol it again with a new token");
        }
        return new AgentIdentity(agent.id, agent.tenancy());
    }

    public AgentIdentity current() {
        return authenticate(AgentCredentialInterceptor.CREDENTIAL.get());
    }
}
