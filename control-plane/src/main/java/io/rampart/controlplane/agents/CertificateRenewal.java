package io.rampart.controlplane.agents;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.rampart.controlplane.agents.identity.AgentCertificateAuthority;
import io.rampart.controlplane.agents.identity.AgentCertificateAuthority.SignedCertificate;

/** Signs a new certificate for an agent that still holds a valid one, and remembers which is newest. */
@ApplicationScoped
public class CertificateRenewal {

    private static final Logger LOG = Logger.getLogger(CertificateRenewal.class);

    @Inject
    AgentRepository agents;
    @Inject
    AgentCertificateAuthority certificateAuthority;

    @Transactional
    public SignedCertificate renew(AgentIdentity caller, ByteString certificateSigningRequest) {
        Agent agent = agents.findByIdOptional(caller.agentId()).orElseThrow();
        SignedCertificate certificate = certificateAuthority.sign(certificateSigningRequest, agent.id);
        agent.certificateIssued(certificate.certificate());
        LOG.infof("Agent %s renewed its certificate until %s", agent.id, agent.certificateExpiresAt);
        return certificate;
    }
}
