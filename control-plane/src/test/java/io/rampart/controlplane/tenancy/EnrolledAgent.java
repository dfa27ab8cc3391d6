package io.rampart.controlplane.tenancy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;

import io.rampart.controlplane.testing.TestFleet;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/** A real agent identity (its own key pair and the certificate the control plane signed), calling the real gRPC server. */
record EnrolledAgent(UUID id, ManagedChannel channel, AgentServiceBlockingStub stub) implements AutoCloseable {

    static EnrolledAgent enrol(TestFleet fleet, String token) {
        KeyPair keys = CertificateRequests.newKeyPair();
        ManagedChannel anonymous = fleet.channel();
        EnrollResponse enrolled;
        try {
            enrolled = AgentServiceGrpc.newBlockingStub(anonymous).withDeadlineAfter(30, TimeUnit.SECONDS).enroll(EnrollRequest.newBuilder()
                    .setEnrolmentToken(token).setHostname("lifecycle-host").setAgentVersion("test").setOperatingSystem("Linux")
                    .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, "lifecycle-host"))).build());
        } finally {
            anonymous.shutdownNow();
        }
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        ManagedChannel channel = fleet.channel(certificate, keys.getPrivate());
        return new EnrolledAgent(UUID.fromString(enrolled.getAgentId()), channel,
                AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    }

    /** The ids of the checks the control plane tells this agent to run now. */
    List<String> checkIds() {
        return stub.getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration().getChecksList().stream()
                .map(CheckDefinition::getCheckId).toList();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
