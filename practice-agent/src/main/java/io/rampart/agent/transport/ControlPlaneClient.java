package io.rampart.agent.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;

/**
 * The agent's connection to the control plane's AgentService. Every call but Enroll carries the
 * agent's credential as {@code authorization: Bearer <credential>}; every call has a deadline so a
 * half-open connection never hangs the agent.
 */
public final class ControlPlaneClient implements AutoCloseable {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final Duration ENROL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration REPORT_DEADLINE = Duration.ofSeconds(60);
    private static final Duration CONFIGURATION_DEADLINE = Duration.ofSeconds(30);

    private final ManagedChannel channel;
    private final AgentServiceGrpc.AgentServiceBlockingStub stub;

    /** Uses the given channel (tests pass an in-process one); the client owns and closes it. */
    public ControlPlaneClient(ManagedChannel channel, Optional<String> credential) {
        this.channel = channel;
        AgentServiceGrpc.AgentServiceBlockingStub plain = AgentServiceGrpc.newBlockingStub(channel);
        this.stub = credential.map(c -> plain.withInterceptors(new BearerCredential(c))).orElse(plain);
    }

    /** Connects to {@code http://host:port} in plain text or {@code https://host:port} over TLS. */
    public static ControlPlaneClient connect(URI server, Optional<String> credential) {
        return new ControlPlaneClient(channelFor(server), credential);
    }

    public static ManagedChannel channelFor(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase();
        ChannelCredentials transport = switch (scheme) {
            case "https" -> TlsChannelCredentials.create();
            case "http" -> InsecureChannelCredentials.create();
            default -> throw new IllegalArgumentException("the server address must start with http:// or https://: " + server);
        };
        if (server.getHost() == null) {
            throw new IllegalArgumentException("the server address has no host name: " + server);
        }
        int port = server.getPort() != -1 ? server.getPort() : scheme.equals("https") ? 443 : 80;
        return Grpc.newChannelBuilderForAddress(server.getHost(), port, transport).build();
    }

    public EnrollResponse enroll(EnrollRequest request) {
        return stub.withDeadlineAfter(ENROL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).enroll(request);
    }

    public ReportEventsResponse report(List<AgentEvent> events) {
        return stub.withDeadlineAfter(REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .reportEvents(ReportEventsRequest.newBuilder().addAllEvents(events).build());
    }

    public AgentConfiguration configuration(long knownVersion) {
        return stub.withDeadlineAfter(CONFIGURATION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .getConfiguration(GetConfigurationRequest.newBuilder().setKnownVersion(knownVersion).build())
                .getConfiguration();
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

    /** Adds the bearer header to every call; the value is fixed, so a plain interceptor is enough. */
    private static final class BearerCredential implements ClientInterceptor {
        private final String headerValue;

        BearerCredential(String credential) {
            this.headerValue = "Bearer " + credential;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(AUTHORIZATION, headerValue);
                    super.start(listener, headers);
                }
            };
        }

        @Override
        public String toString() {
            return "BearerCredential[***]";
        }
    }
}
