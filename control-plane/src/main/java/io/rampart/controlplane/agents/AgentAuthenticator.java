package io.rampart.controlplane.agents;

import java.security.cert.X509Certificate;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.rampart.controlplane.agents.identity.AgentCertificateAuthority;

/** Turns the client certificate of the current call into the agent it names, or refuses the call. */
@ApplicationScoped
public class AgentAuthenticator {

    @Inject
    AgentRepository agents;
    @Inject
    AgentCertificateAuthority certificateAuthority;

    @Transactional
    public AgentIdentity authenticate(X509Certificate certificate) {
        if (certificate == null) {
            throw AgentApiException.unauthenticated(
                    "no client certificate: this call needs the agent's own certificate; enrol the agent first");
        }
        UUID agentId = certificateAuthority.agentOf(certificate).orElseThrow(() -> AgentApiException.unauthenticated(
                "this certificate does not name an agent of this control plane; enrol the agent again with a new token"));
        Agent agent = agents.findByIdOptional(agentId).orElseThrow(() -> AgentApiException.unauthenticated(
                "agent " + agentId + " is not enrolled here; enrol it again with a new token"));
        if (agent.revoked()) {
            throw AgentApiException.unauthenticated("agent " + agent.id + " was revoked on " + agent.revokedAt
                    + "; enrol it again with a new token");
        }
        if (agent.publicKey == null && certificate.getSerialNumber().toString(16).equals(agent.certificateSerial)) {
            // enrolled before the control plane kept keys: its newest certificate's key, so browsers can seal to it now
            agent.publicKey = certificate.getPublicKey().getEncoded();
        }
        return new AgentIdentity(agent.id, agent.tenancy());
    }

    public AgentIdentity current() {
        return authenticate(AgentCertificateInterceptor.CERTIFICATE.get());
    }
}
