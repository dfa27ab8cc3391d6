package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.rampart.agent.TestPki;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.GetConfigurationResponse;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;
import io.rampart.protocol.identity.Pem;

/** Runs the whole benchmark against a fake control plane (JDK HTTP server + mutual-TLS gRPC server). */
class LoadBenchmarkTest {

    private static final Context.Key<String> AGENT_ID = Context.key("agent-id");
    private final TestPki pki = new TestPki();

    private HttpServer http;
    private Server grpc;
    private final Map<String, String> practiceOfToken = new ConcurrentHashMap<>();
    private final Map<String, String> practiceOfAgent = new ConcurrentHashMap<>();
    private final Set<String> practices = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventsReceived = new AtomicLong();
    private final AtomicLong wrongCalls = new AtomicLong();

    @BeforeEach
    void startFakeControlPlane() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::rest);
        http.start();
        ServerInterceptor certificate = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(AGENT_ID, TestPki.agentIdOf(call).orElse(null)), call, headers, next);
            }
        };
        grpc = Grpc.newServerBuilderForPort(0, pki.serverCredentials())
                .addService(ServerInterceptors.intercept(new FakeAgentService(), certificate)).build().start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
        grpc.shutdownNow();
    }

    @Test
    void runsAndReportsThroughputLatencyAndMemory() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = LoadBenchmark.run(args("--batch", "10"), new PrintStream(out), new PrintStream(OutputStream.nullOutputStream()));
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.print(report);

        assertThat(exit).isZero();
        assertThat(practices).hasSize(5);
        assertThat(practiceOfAgent).hasSize(5);
        assertThat(wrongCalls).hasValue(0);
        assertThat(eventsReceived.get()).isPositive();
        assertThat(report).contains("Rampart load benchmark  agents=5 batch=10", "acknowledged events: ",
                "ack latency per batch: p50 ", "errors: none", "heap used 150 MB, non-heap used 60 MB, rss 320 MB");
        assertThat(report).doesNotContain("acknowledged events: 0 ");
    }

    @Test
    void refusesABatchLargerThanTheControlPlaneAccepts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadBenchmark.run(args("--batch", "501"), new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exceeds the control plane's max_batch_size of 500");
    }

    @Test
    void unreachableControlPlaneExitsWithTwo() {
        http.stop(0);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadBenchmark.run(args(), new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unreachable");
    }

    private String[] args(String... more) {
        String[] base = { "--agents", "5", "--http", "http://127.0.0.1:" + http.getAddress().getPort(),
                "--grpc", "127.0.0.1:" + grpc.getPort(), "--duration", "1s", "--warmup", "200ms", "--concurrency", "3",
                "--channels", "2", "--metrics", "http://127.0.0.1:" + http.getAddress().getPort() };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private void rest(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (method.equals("GET") && path.equals("/api/groups")) {
            respond(exchange, 200, "[{\"id\":\"g-1\",\"providerId\":\"p-1\",\"name\":\"Demo group\"}]");
        } else if (method.equals("POST") && path.equals("/api/groups/g-1/practices") && body.contains("Bench practice ")) {
            String id = UUID.randomUUID().toString();
            practices.add(id);
            respond(exchange, 201, "{\"id\":\"" + id + "\",\"groupId\":\"g-1\",\"providerId\":\"p-1\",\"name\":\"x\"}");
        } else if (method.equals("POST") && path.startsWith("/api/practices/") && path.endsWith("/enrolment-tokens")) {
            String practiceId = path.split("/")[3];
            String token = "tok-" + UUID.randomUUID();
            practiceOfToken.put(token, practiceId);
            respond(exchange, 201, "{\"id\":\"t\",\"practiceId\":\"" + practiceId + "\",\"token\":\"" + token
                    + "\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"enrolCommand\":\"rampart-agent enroll\"}");
        } else if (method.equals("GET") && path.equals("/agent-ca.crt")) {
            respond(exchange, 200, Pem.certificates(List.of(pki.caCertificate())));
        } else if (method.equals("GET") && path.equals("/q/metrics")) {
            respond(exchange, 200, """
                    jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E8
                    jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.24288E7
                    jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.291456E7
                    process_resident_memory_bytes 3.3554432E8
                    """);
        } else {
            respond(exchange, 404, "{\"error\":\"no such thing\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private final class FakeAgentService extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> response) {
            String practiceId = practiceOfToken.remove(request.getEnrolmentToken());
            if (practiceId == null || !request.getHostname().startsWith("bench-")) {
                response.onError(Status.UNAUTHENTICATED.withDescription("bad token").asRuntimeException());
                return;
            }
            String agentId = UUID.randomUUID().toString();
            practiceOfAgent.put(agentId, practiceId);
            response.onNext(EnrollResponse.newBuilder().setAgentId(agentId).setPracticeId(practiceId)
                    .setClientCertificate(pki.sign(request.getCertificateSigningRequest(), agentId, Duration.ofDays(30)))
                    .addCaCertificates(pki.caDer()).build());
            response.onCompleted();
        }

        @Override
        public void getConfiguration(GetConfigurationRequest request, StreamObserver<GetConfigurationResponse> response) {
            response.onNext(GetConfigurationResponse.newBuilder()
                    .setConfiguration(AgentConfiguration.newBuilder().setMaxBatchSize(500)).build());
            response.onCompleted();
        }

        @Override
        public void reportEvents(ReportEventsRequest request, StreamObserver<ReportEventsResponse> response) {
            String practiceId = AGENT_ID.get() == null ? null : practiceOfAgent.get(AGENT_ID.get());
            if (practiceId == null) {
                wrongCalls.incrementAndGet();
                response.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            ReportEventsResponse.Builder ack = ReportEventsResponse.newBuilder();
            for (AgentEvent event : request.getEventsList()) {
                if (!event.getPracticeId().equals(practiceId) || event.getPayloadCase() == AgentEvent.PayloadCase.PAYLOAD_NOT_SET) {
                    wrongCalls.incrementAndGet();
                }
                ack.addAcknowledgedEventIds(event.getEventId());
            }
            eventsReceived.addAndGet(request.getEventsCount());
            response.onNext(ack.build());
            response.onCompleted();
        }
    }
}
