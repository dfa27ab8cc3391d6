package io.rampart.controlplane.testing;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.WatchConfigurationRequest;
import io.rampart.protocol.agent.v1.WatchConfigurationResponse;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/** An agent enrolled over the real gRPC API that keeps a WatchConfiguration stream open and records what arrives, when. */
public final class WatchingAgent implements AutoCloseable {

    /** A configuration and the moment (System.nanoTime) it arrived. */
    public record Arrival(AgentConfiguration configuration, long nanoTime) {
    }

    public final UUID agentId;
    public final KeyPair keys;
    public final X509Certificate certificate;
    public final ManagedChannel channel;
    public final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    public final CompletableFuture<Status> ended = new CompletableFuture<>();

    private WatchingAgent(UUID agentId, KeyPair keys, X509Certificate certificate, ManagedChannel channel) {
        this.agentId = agentId;
        this.keys = keys;
        this.certificate = certificate;
        this.channel = channel;
    }

    /** Enrols with a new key pair and opens the watch. */
    public static WatchingAgent enrolAndWatch(TestFleet fleet, String token, String hostname) {
        KeyPair keys = CertificateRequests.newKeyPair();
        ManagedChannel anonymous = fleet.channel();
        EnrollResponse enrolled;
        try {
            enrolled = AgentServiceGrpc.newBlockingStub(anonymous).enroll(EnrollRequest.newBuilder().setEnrolmentToken(token)
                    .setHostname(hostname).setAgentVersion("test").setOperatingSystem("Linux")
                    .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, hostname))).build());
        } finally {
            anonymous.shutdownNow();
        }
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        WatchingAgent agent = new WatchingAgent(UUID.fromString(enrolled.getAgentId()), keys, certificate,
                fleet.channel(certificate, keys.getPrivate()));
        agent.watch();
        return agent;
    }

    private void watch() {
        AgentServiceGrpc.newStub(channel).watchConfiguration(WatchConfigurationRequest.getDefaultInstance(),
                new StreamObserver<WatchConfigurationResponse>() {
                    @Override
                    public void onNext(WatchConfigurationResponse response) {
                        arrivals.add(new Arrival(response.getConfiguration(), System.nanoTime()));
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.complete(Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
    }

    /** The next configuration to arrive, or an AssertionError after the wait. */
    public Arrival next(Duration wait) throws InterruptedException {
        Arrival arrival = arrivals.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (arrival == null) {
            throw new AssertionError("no configuration arrived within " + wait.toMillis() + " ms");
        }
        return arrival;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
