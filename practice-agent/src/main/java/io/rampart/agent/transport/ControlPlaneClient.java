package io.rampart.agent.transport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.RenewCertificateRequest;
import io.rampart.protocol.agent.v1.RenewCertificateResponse;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;
import io.rampart.protocol.agent.v1.WatchConfigurationRequest;
import io.rampart.protocol.agent.v1.WatchConfigurationResponse;

/**
 * The agent's connection to the control plane's AgentService, over TLS: with the agent's own
 * client certificate once it has one (see AgentCertificate). Every call has a deadline so a
 * half-open connection never hangs the agent.
 */
public final class ControlPlaneClient implements AutoCloseable {

    private static final Duration ENROL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration REPORT_DEADLINE = Duration.ofSeconds(60);
    private static final Duration CONFIGURATION_DEADLINE = Duration.ofSeconds(30);

    private final ManagedChannel channel;
    private final AgentServiceGrpc.AgentServiceBlockingStub stub;
    private final AgentServiceGrpc.AgentServiceStub asyncStub;
    private final Clock clock;

    /** Uses the given channel (tests pass an in-process one); the client owns and closes it. */
    public ControlPlaneClient(ManagedChannel channel) {
        this(channel, Clock.systemUTC());
    }

    /** @param clock this computer's clock, whose reading goes with every batch (ReportEventsRequest.sent_at) */
    public ControlPlaneClient(ManagedChannel channel, Clock clock) {
        this.channel = channel;
        this.stub = AgentServiceGrpc.newBlockingStub(channel);
        this.asyncStub = AgentServiceGrpc.newStub(channel);
        this.clock = clock;
    }

    /** Connects to {@code https://host:port} with the given TLS credentials. */
    public static ControlPlaneClient connect(URI server, ChannelCredentials credentials) {
        return new ControlPlaneClient(channelFor(server, credentials));
    }

    /**
     * A channel to {@code https://host:port} over grpc-java's OkHttp transport with the JDK's TLS, named here rather
     * than picked from the classpath, so the agent speaks the same way in the shipped jar and inside the control
     * plane's tests (where Netty is present too). OkHttp instead of Netty with BoringSSL keeps an idle agent about
     * 1,000 classes and a native TLS library lighter (README, "Footprint").
     */
    public static ManagedChannel channelFor(URI server, ChannelCredentials credentials) {
        requireHttps(server);
        int port = server.getPort() != -1 ? server.getPort() : 443;
        // A refusal names its bad events in the grpc-status-details-bin trailer (base64); grpc-java's default 8 KiB of
        // metadata would turn a long one into INTERNAL, which the agent would take as transient and resend for ever.
        return OkHttpChannelBuilder.forAddress(server.getHost(), port, credentials).maxInboundMetadataSize(64 * 1024).build();
    }

    /** Agents speak to the control plane over TLS only: their certificate is their identity. */
    public static void requireHttps(URI server) {
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("the control plane's agent address must look like https://host:port, not " + server);
        }
    }

    public EnrollResponse enroll(EnrollRequest request) {
        return stub.withDeadlineAfter(ENROL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).enroll(request);
    }

    public RenewCertificateResponse renewCertificate(byte[] certificateSigningRequest) {
        return stub.withDeadlineAfter(ENROL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).renewCertificate(
                RenewCertificateRequest.newBuilder().setCertificateSigningRequest(ByteString.copyFrom(certificateSigningRequest)).build());
    }

    public ReportEventsResponse report(List<AgentEvent> events) {
        return stub.withDeadlineAfter(REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .reportEvents(ReportEventsRequest.newBuilder().addAllEvents(events).setSentAt(ProtoTime.timestamp(clock.instant())).build());
    }

    public AgentConfiguration configuration(long knownVersion) {
        return stub.withDeadlineAfter(CONFIGURATION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .getConfiguration(GetConfigurationRequest.newBuilder().setKnownVersion(knownVersion).build())
                .getConfiguration();
    }

    /**
     * Opens a WatchConfiguration stream (no deadline: it stays open); each configuration goes to {@code received},
     * and the stream's end (an error, or completion as null) to {@code ended}. Cancel it with the returned handle.
     */
    public Runnable watchConfiguration(long knownVersion, java.util.function.Consumer<AgentConfiguration> received,
            java.util.function.Consumer<Throwable> ended) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        context.run(() -> asyncStub.watchConfiguration(WatchConfigurationRequest.newBuilder().setKnownVersion(knownVersion).build(),
                new io.grpc.stub.StreamObserver<WatchConfigurationResponse>() {
                    @Override
                    public void onNext(WatchConfigurationResponse response) {
                        received.accept(response.getConfiguration());
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.accept(error);
                    }

                    @Override
                    public void onCompleted() {
                        ended.accept(null);
                    }
                }));
        return () -> context.cancel(null);
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
