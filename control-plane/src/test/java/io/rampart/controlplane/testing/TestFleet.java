package io.rampart.controlplane.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.google.protobuf.ByteString;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

import io.rampart.controlplane.agents.Enrolment;
import io.rampart.controlplane.agents.identity.AgentCaFiles;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/** Creates groups, practices and tokens for tests, each test with its own. */
@ApplicationScoped
public class TestFleet {

    @Inject
    Enrolment enrolment;

    @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "9001")
    int grpcPort;
    @ConfigProperty(name = "rampart.agents.ca-dir")
    Path caDir;

    @Inject
    DemoTenancy demoTenancy;

    /** The demo realm's providers, groups and practices (its users' tenancy). */
    public void seedDemoTenancy() {
        demoTenancy.seed();
    }

    /**
     * A practice in a group of its own under the demo provider Northwind IT Services, whose
     * admin (alice) may see it; the group requires the nas-copy check only.
     */
    @Transactional
    public Practice newPractice(String name) {
        demoTenancy.seed();
        PracticeGroup group = new PracticeGroup();
        group.id = UUID.randomUUID();
        group.providerId = DemoTenancy.NORTHWIND;
        group.name = "Group of " + name;
        group.createdAt = Instant.now();
        group.persist();
        CheckDefinition nasCopy = new CheckDefinition();
        nasCopy.groupId = group.id;
        nasCopy.providerId = group.providerId;
        nasCopy.checkId = "nas-copy";
        nasCopy.kind = "BACKUP_FOLDER";
        nasCopy.intervalSeconds = 900;
        nasCopy.settings = "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"minSizeBytes\": \"1\"}";
        nasCopy.persist();
        return newPracticeIn(group.id, name);
    }

    /** Another practice in an existing group (of newPractice's, say), for tests of a group of several practices. */
    @Transactional
    public Practice newPracticeIn(UUID groupId, String name) {
        PracticeGroup group = PracticeGroup.findById(groupId);
        Practice practice = new Practice();
        practice.id = UUID.randomUUID();
        practice.providerId = group.providerId;
        practice.groupId = group.id;
        practice.name = name;
        practice.createdAt = Instant.now();
        practice.persist();
        return practice;
    }

    /** Adds a check to a group's configuration, as a policy change would. */
    @Transactional
    public void addCheck(UUID groupId, String checkId, String kind, String settingsJson) {
        PracticeGroup group = PracticeGroup.findById(groupId);
        CheckDefinition check = new CheckDefinition();
        check.groupId = groupId;
        check.providerId = group.providerId;
        check.checkId = checkId;
        check.kind = kind;
        check.intervalSeconds = 900;
        check.settings = settingsJson;
        check.persist();
    }

    public String token(Practice practice) {
        return token(practice, Duration.ofHours(1));
    }

    public String token(Practice practice, Duration validity) {
        return enrolment.issueToken(practice, validity).token();
    }

    public int grpcPort() {
        return grpcPort;
    }

    public String grpcUrl() {
        return "https://localhost:" + grpcPort;
    }

    /** Enrols an agent with the token as a real one would (a new key pair and its certificate request); returns its id. */
    public UUID enrol(String token, String hostname) {
        ManagedChannel channel = channel();
        try {
            return UUID.fromString(AgentServiceGrpc.newBlockingStub(channel).enroll(EnrollRequest.newBuilder()
                    .setEnrolmentToken(token).setHostname(hostname).setAgentVersion("test").setOperatingSystem("Linux")
                    .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(CertificateRequests.newKeyPair(), hostname)))
                    .build()).getAgentId());
        } finally {
            channel.shutdownNow();
        }
    }

    /** The agents' CA, which also certifies the gRPC server. */
    public List<X509Certificate> caCertificates() {
        return Pem.readCertificates(AgentCaFiles.in(caDir).caCertificate());
    }

    /** TLS trusting the agents' CA, without a client certificate: what an agent has before it enrols. */
    public ManagedChannel channel() {
        return Grpc.newChannelBuilderForAddress("localhost", grpcPort, trustingCa().build()).build();
    }

    /** Mutual TLS presenting the given certificate and proving it with the given key. */
    public ManagedChannel channel(X509Certificate certificate, PrivateKey key) {
        try {
            return Grpc.newChannelBuilderForAddress("localhost", grpcPort, trustingCa()
                    .keyManager(stream(Pem.certificates(List.of(certificate))), stream(Pem.privateKey(key))).build()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TlsChannelCredentials.Builder trustingCa() {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(stream(Pem.certificates(caCertificates())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
