package io.rampart.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.GetConfigurationResponse;
import io.rampart.protocol.agent.v1.RenewCertificateRequest;
import io.rampart.protocol.agent.v1.RenewCertificateResponse;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;
import io.rampart.protocol.agent.v1.WatchConfigurationRequest;
import io.rampart.protocol.agent.v1.WatchConfigurationResponse;

/** A real gRPC AgentService for tests, scripted to fail the way a real control plane can. */
public final class FakeControlPlane extends AgentServiceGrpc.AgentServiceImplBase implements AutoCloseable {

    public static final String TOKEN = "token-123";
    public static final String AGENT_ID = "agent-1";
    public static final String PRACTICE_ID = "practice-7";

    /** Signs the agents' certificates and the server's own, as the control plane's CA does. */
    public final TestPki pki = new TestPki();
    public final List<AgentEvent> received = new CopyOnWriteArrayList<>();
    public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    /** The agent id each call's client certificate named ("" for a call without one). */
    public final List<String> callers = new CopyOnWriteArrayList<>();
    public final List<RenewCertificateRequest> renewals = new CopyOnWriteArrayList<>();
    public volatile Duration certificateValidity = Duration.ofDays(30);
    public final List<EnrollRequest> enrolments = new CopyOnWriteArrayList<>();
    /** ReportEvents calls still to answer with UNAVAILABLE. */
    public final AtomicInteger unavailableReports = new AtomicInteger();
    public volatile Predicate<AgentEvent> invalid = event -> false;
    /**
     * Whether a refusal names the invalid events in a google.rpc.BadRequest (one violation per event, field
     * "events[<index>].check_result.summary", as the real control plane does) or is a bare INVALID_ARGUMENT.
     */
    public volatile boolean namesInvalidEvents;
    /** ReportEvents calls (accepted or not) and the serialised size of each request, in bytes. */
    public final AtomicInteger reportCalls = new AtomicInteger();
    public final List<Integer> requestBytes = new CopyOnWriteArrayList<>();
    public volatile AgentConfiguration configuration = AgentConfiguration.newBuilder().setVersion(1).build();
    /**
     * When set, every answer carries an HTTP {@code date} header with the control plane's clock this far ahead of the
     * real one (negative: behind), as HTTP servers send it; null: no header, as grpc-java sends none.
     */
    public volatile Duration dateHeaderAhead;
    /** When set, GetConfiguration fails with this status (e.g. UNAUTHENTICATED for a revoked agent). */
    public volatile Status configurationRefusal;

    private Server server;

    public Server startInProcess(String name) throws IOException {
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(this).build().start();
        return server;
    }

    /** A real TLS server on a free localhost port (client certificates requested), for code that connects by URL. */
    public int startOnLocalhost() throws IOException {
        server = Grpc.newServerBuilderForPort(0, pki.serverCredentials())
                .addService(ServerInterceptors.intercept(this, new CallerRecorder())).build().start();
        return server.getPort();
    }

    @Override
    public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> responses) {
        enrolments.add(request);
        if (!TOKEN.equals(request.getEnrolmentToken())) {
            responses.onError(Status.UNAUTHENTICATED.withDescription("unknown enrolment token").asRuntimeException());
            return;
        }
        responses.onNext(EnrollResponse.newBuilder().setAgentId(AGENT_ID).setPracticeId(PRACTICE_ID)
                .setPracticeName("Praxis Dr. Example")
                .setClientCertificate(pki.sign(request.getCertificateSigningRequest(), AGENT_ID, certificateValidity))
                .addCaCertificates(pki.caDer()).build());
        responses.onCompleted();
    }

    @Override
    public void renewCertificate(RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> responses) {
        renewals.add(request);
        responses.onNext(RenewCertificateResponse.newBuilder()
                .setClientCertificate(pki.sign(request.getCertificateSigningRequest(), AGENT_ID, certificateValidity))
                .addCaCertificates(pki.caDer()).build());
        responses.onCompleted();
    }

    @Override
    public void reportEvents(ReportEventsRequest request, StreamObserver<ReportEventsResponse> responses) {
        reportCalls.incrementAndGet();
        requestBytes.add(request.getSerializedSize());
        if (unavailableReports.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            responses.onError(Status.UNAVAILABLE.withDescription("event log not reachable").asRuntimeException());
            return;
        }
        if (request.getEventsList().stream().anyMatch(invalid)) {
            responses.onError(
                    namesInvalidEvents ? badRequest(request) : Status.INVALID_ARGUMENT.withDescription("an event has no payload").asRuntimeException());
            return;
        }
        batchSizes.add(request.getEventsCount());
        received.addAll(request.getEventsList());
        responses.onNext(ReportEventsResponse.newBuilder()
                .addAllAcknowledgedEventIds(request.getEventsList().stream().map(AgentEvent::getEventId).toList()).build());
        responses.onCompleted();
    }

    private StatusRuntimeException badRequest(ReportEventsRequest request) {
        BadRequest.Builder violations = BadRequest.newBuilder();
        for (int i = 0; i < request.getEventsCount(); i++) {
            AgentEvent event = request.getEvents(i);
            if (invalid.test(event)) {
                violations.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("events[" + i + "].check_result.summary")
                        .setDescription("event " + event.getEventId() + " has a text PostgreSQL cannot store (a NUL character)"));
            }
        }
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT.getNumber())
                .setMessage(violations.getFieldViolationsCount() + " events can never be stored; nothing of this batch was kept")
                .addDetails(Any.pack(violations.build())).build());
    }

    @Override
    public void getConfiguration(GetConfigurationRequest request, StreamObserver<GetConfigurationResponse> responses) {
        Status refusal = configurationRefusal;
        if (refusal != null) {
            responses.onError(refusal.asRuntimeException());
            return;
        }
        responses.onNext(GetConfigurationResponse.newBuilder().setConfiguration(configuration).build());
        responses.onCompleted();
    }

    /** Open WatchConfiguration streams; {@link #publish} sends to each. Turn watching off to play an older control plane. */
    public final List<StreamObserver<WatchConfigurationResponse>> watchers = new CopyOnWriteArrayList<>();
    public volatile boolean supportsWatch = true;

    @Override
    public void watchConfiguration(WatchConfigurationRequest request, StreamObserver<WatchConfigurationResponse> responses) {
        if (!supportsWatch) {
            responses.onError(Status.UNIMPLEMENTED.withDescription("Method not found: WatchConfiguration").asRuntimeException());
            return;
        }
        // a watch the agent ends (it reopens one after a poll found a newer version) leaves the list
        ((ServerCallStreamObserver<WatchConfigurationResponse>) responses).setOnCancelHandler(() -> watchers.remove(responses));
        synchronized (watchers) {
            watchers.add(responses);
            responses.onNext(WatchConfigurationResponse.newBuilder().setConfiguration(configuration).build());
        }
    }

    /** A new configuration: what GetConfiguration answers from now on, and sent at once to every watcher. */
    public void publish(AgentConfiguration next) {
        synchronized (watchers) {
            configuration = next;
            for (StreamObserver<WatchConfigurationResponse> watcher : watchers) {
                try {
                    watcher.onNext(WatchConfigurationResponse.newBuilder().setConfiguration(next).build());
                } catch (RuntimeException cancelled) {
                    watchers.remove(watcher);
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private final class CallerRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            callers.add(TestPki.agentIdOf(call).orElse(""));
            Duration ahead = dateHeaderAhead;
            if (ahead == null) {
                return next.startCall(call, headers);
            }
            return next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    responseHeaders.put(Metadata.Key.of("date", Metadata.ASCII_STRING_MARSHALLER),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(ahead)));
                    super.sendHeaders(responseHeaders);
                }
            }, headers);
        }
    }
}
