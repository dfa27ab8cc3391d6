package io.rampart.agent;

import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Logger;

import com.google.protobuf.ByteString;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.identity.AgentCertificate;
import io.rampart.agent.transport.ControlPlaneClient;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * Exchanges a single-use enrolment token for this agent's own identity: it makes a key pair, has
 * the control plane's CA sign its public key, and keeps key, certificate and CA in the agent's home.
 */
public final class Enrolment {

    private static final Logger LOG = Logger.getLogger(Enrolment.class.getName());

    private Enrolment() {
    }

    /**
     * Enrols over TLS trusting only {@code ca} (the control plane's CA, which the install command
     * carries). A refused token surfaces as the {@link io.grpc.StatusRuntimeException} the control
     * plane sent (UNAUTHENTICATED), unchanged.
     */
    public static EnrolledIdentity enroll(AgentHome home, URI server, String token, String hostname, List<X509Certificate> ca) {
        ControlPlaneClient.requireHttps(server);
        if (ca.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to trust: pass the control plane's CA (--ca-file)");
        }
        KeyPair keys = CertificateRequests.newKeyPair();
        EnrollResponse response;
        try (ControlPlaneClient client = ControlPlaneClient.connect(server, AgentCertificate.trusting(ca))) {
            response = client.enroll(EnrollRequest.newBuilder()
                    .setEnrolmentToken(token)
                    .setHostname(hostname)
                    .setAgentVersion(AgentVersion.current())
                    .setOperatingSystem(ThisComputer.operatingSystem())
                    .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, hostname)))
                    .build());
        }
        home.writeCertificate(keys.getPrivate(), Pem.certificate(response.getClientCertificate().toByteArray()),
                response.getCaCertificatesList().isEmpty() ? ca : caOf(response.getCaCertificatesList()));
        EnrolledIdentity identity = new EnrolledIdentity(server, response.getAgentId(), response.getPracticeId(), response.getPracticeName());
        home.writeIdentity(identity);
        LOG.info("enrolled as agent " + identity.agentId() + " of practice " + identity.practiceId() + " (" + identity.practiceName() + ")");
        return identity;
    }

    static List<X509Certificate> caOf(List<ByteString> der) {
        return der.stream().map(ByteString::toByteArray).map(Pem::certificate).toList();
    }
}
