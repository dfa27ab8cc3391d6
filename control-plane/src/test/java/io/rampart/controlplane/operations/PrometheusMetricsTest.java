package io.rampart.controlplane.operations;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import io.rampart.controlplane.alerts.Alert;
import io.rampart.controlplane.alerts.NotificationDelivery;
import io.rampart.controlplane.fleet.AgentPresence;
import io.rampart.controlplane.fleet.FleetMeters;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.ManagementPort;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.rampart.protocol.agent.v1.EnrollRequest;
import io.rampart.protocol.agent.v1.EnrollResponse;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * The real /q/metrics, after everything that registers a meter lazily happened once (an agent's events taken and
 * refused over gRPC, an evaluation, an alert with its email through the real SMTP server and its webhook call to a
 * real HTTP receiver), is clean for Debian's {@code promtool check metrics}; it says what happened in Rampart's own
 * series; and every metric name the shipped Grafana dashboard and Prometheus rules (deploy/monitoring) use is one it
 * exports, so a renamed metric breaks the build instead of a dashboard.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PrometheusMetricsTest {

    /** Debian's prometheus package (bookworm: 2.42). */
    static final String PROMTOOL = "/usr/bin/promtool";

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    FleetMeters fleetMeters;
    @Inject
    io.rampart.controlplane.alerts.DeliveryMeters deliveryMeters;
    @Inject
    ReadinessMeter readiness;
    @Inject
    MeterRegistry registry;
    @Inject
    jakarta.persistence.EntityManager entityManager;

    /** The scrape after {@link #exercise}, once per test class. */
    private static Scrape scrape;

    private record Scrape(String text, Practice practice) {
    }

    @Test
    void theScrapeIsCleanForPromtoolAndSaysWhatHappened() throws Exception {
        Scrape scraped = scrapeAfterEverything();
        PromtoolRun lint = PromtoolRun.of(scraped.text(), PROMTOOL, "check", "metrics");
        assertThat(lint.output()).as("promtool check metrics on the real /q/metrics").isEmpty();
        assertThat(lint.exitCode()).isZero();

        String provider = "provider=\"" + scraped.practice().providerId + "\"";
        String text = scraped.text();
        assertThat(value(text, "rampart_agents_events_ingested_total", "")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_agents_events_refused_total", "reason=\"invalid_event\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_agents_events_refused_total", "reason=\"rate_limited\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "rampart_compliance_evaluations_total", "")).isGreaterThanOrEqualTo(2);
        assertThat(value(text, "rampart_compliance_evaluation_duration_seconds_count", "")).isGreaterThanOrEqualTo(2);
        assertThat(text).contains("rampart_compliance_evaluation_duration_seconds_bucket{le=\"0.1\"");
        assertThat(value(text, "rampart_alerts_opened_total", "level=\"fail\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_alerts_resolved_total", "cause=\"recovered\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "rampart_notifications_sent_total", "channel=\"email\"," + provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_notifications_sent_total", "channel=\"webhook\"," + provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_notifications_failed_attempts_total", "channel=\"webhook\"," + provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_notifications_given_up_total", "channel=\"webhook\"," + provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_compliance_evaluation_failures_total", "reason=\"PSQLException\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_agents_connected", provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_agents_enrolled", provider)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "rampart_agents_outbox_backlog_largest_events", provider)).isGreaterThanOrEqualTo(42);
        assertThat(value(text, "rampart_agents_set_aside_largest_events", provider)).isGreaterThanOrEqualTo(3);
        assertThat(value(text, "rampart_consumer_lag", "consumer=\"fleet-projection\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "rampart_consumer_last_applied_age_seconds", "consumer=\"alerts\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "rampart_consumer_dead_letters_total", "consumer=\"fleet-projection\"")).isGreaterThanOrEqualTo(0);
        assertThat(text).containsPattern("(?m)^rampart_health_ready [01]\\.0$");

        // Prometheus' own Accept (2.42) names text/plain too, and Quarkus answers it the text format
        Response prometheus = ManagementPort.given().accept("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").get("/q/metrics");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void thePublicListenerServesNeitherMetricsNorHealthSoAnIngressCannotShowThem() {
        // what a chart Ingress with path "/" forwards reaches only the http port: the per-provider series must not be there
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
        ManagementPort.given().get("/q/health/ready").then().statusCode(org.hamcrest.Matchers.oneOf(200, 503));
        // the API's own description stays public, for the people who write integrations
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void aProviderThatNeverHadADeliveryHasItsDeliveryCountersAtZeroSoTheFirstGiveUpIsAnIncrease() {
        UUID quiet = UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            io.rampart.controlplane.tenancy.Provider provider = new io.rampart.controlplane.tenancy.Provider();
            provider.id = quiet;
            provider.name = "Quiet IT " + quiet;
            provider.createdAt = java.time.Instant.now();
            provider.persist();
        });
        deliveryMeters.startAtZero();
        String text = ManagementPort.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String channel : List.of("email", "webhook")) {
            String labels = "channel=\"" + channel + "\",provider=\"" + quiet + "\"";
            assertThat(value(text, "rampart_notifications_sent_total", labels)).isZero();
            assertThat(value(text, "rampart_notifications_failed_attempts_total", labels)).isZero();
            assertThat(value(text, "rampart_notifications_given_up_total", labels)).isZero();
        }
    }

    @Test
    void everyMeterHasADescriptionNoLongTaskTimerAndNoAbbreviatedUnit() throws Exception {
        scrapeAfterEverything();
        Set<String> undescribed = new TreeSet<>();
        Set<String> longTaskTimers = new TreeSet<>();
        Set<String> abbreviated = new TreeSet<>();
        Pattern abbreviation = Pattern.compile("(^|\\.)(s|ms|us|ns|sec|b|kb|mb|gb|tb|pb|m|h|d|days|hours|minutes|count)(\\.|$)");
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (id.getDescription() == null || id.getDescription().isBlank()) {
                undescribed.add(id.getName());
            }
            if (meter instanceof LongTaskTimer) {
                longTaskTimers.add(id.getName());
            }
            // Rampart's own names follow the rules; the libraries' rendered names are promtool's to judge (jvm.buffer.count
            // renders as jvm_buffer_count_buffers, which it takes)
            boolean own = id.getName().startsWith(PrometheusMeterFilters.OWN);
            if (own && (abbreviation.matcher(id.getName()).find()
                    || (id.getBaseUnit() != null && abbreviation.matcher(id.getBaseUnit()).find()))) {
                abbreviated.add(id.getName() + " (" + id.getBaseUnit() + ")");
            }
        }
        assertThat(undescribed).as("meters without a description (an empty HELP line)").isEmpty();
        assertThat(longTaskTimers).as("LongTaskTimers (not a Prometheus type)").isEmpty();
        assertThat(abbreviated).as("meters named with an abbreviated unit or a _count suffix").isEmpty();
    }

    @Test
    void theDashboardAndTheAlertRulesUseOnlyMetricsTheControlPlaneExports() throws Exception {
        Set<String> exported = MonitoringFiles.sampleNames(scrapeAfterEverything().text());
        Set<String> used = new TreeSet<>(MonitoringFiles.metricNames(MonitoringFiles.dashboardExpressions()));
        used.addAll(MonitoringFiles.metricNames(MonitoringFiles.ruleExpressions()));
        assertThat(used).as("metric names in the dashboard's and the rules' expressions").isNotEmpty()
                .contains("rampart_agents_events_ingested_total", "rampart_consumer_lag", "rampart_notifications_given_up_total");
        assertThat(used).as("names the dashboard or the rules use that /q/metrics does not export").isSubsetOf(exported);
    }

    /** Once per class: makes every lazily registered meter exist, then scrapes with the default Accept (text 0.0.4). */
    private synchronized Scrape scrapeAfterEverything() throws Exception {
        if (scrape == null) {
            Practice practice = exercise();
            fleetMeters.refresh();
            readiness.refresh();
            // no Accept given: RestAssured sends curl's "*/*", as an operator's `curl -s .../q/metrics | promtool check metrics` does
            Response response = ManagementPort.given().get("/q/metrics");
            response.then().statusCode(200);
            // OpenMetrics would be mis-read by promtool 2.42 (a false "no help text"): the default answer must be 0.0.4
            assertThat(response.contentType()).startsWith("text/plain; version=0.0.4");
            scrape = new Scrape(response.asString(), practice);
            // kept for a person to read when promtool objects
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-scrape.prom"), scrape.text());
        }
        return scrape;
    }

    private Practice exercise() throws Exception {
        AtomicInteger webhookCalls = new AtomicInteger();
        AtomicInteger failingCalls = new AtomicInteger();
        HttpServer receiver = receiver(204, webhookCalls);
        HttpServer failingReceiver = receiver(500, failingCalls);
        String webhookId = null;
        String failingWebhookId = null;
        try {
            Practice practice = fleet.newPractice("Metrics Mews Surgery " + UUID.randomUUID()); // seeds the demo provider first
            webhookId = webhook(receiver);
            failingWebhookId = webhook(failingReceiver);
            given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                    .body(Map.of("name", "Northwind desk", "email", "desk-" + UUID.randomUUID() + "@northwind.example", "role", "IT_CONTACT"))
                    .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);

            reportOverGrpc(practice);

            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
            // one practice whose evaluation throws (the real PostgreSQL refuses its rule states), so the failure counter exists
            Practice faulty = fleet.newPractice("Metrics Fault Surgery " + UUID.randomUUID());
            evidence.reportNasCopy(faulty, t0, t0.minus(Duration.ofHours(2)));
            refuseRuleStatesOf(faulty, true);
            try {
                evidence.evaluateAllDue(t0);
            } finally {
                refuseRuleStatesOf(faulty, false);
            }
            evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));   // the NAS copy is 32 h old: FAIL opens an alert
            await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(
                    () -> Alert.count("practiceId = ?1 and ruleId = 'nas-copy'", practice.id) == 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                while (delivery.sendNext(Instant.now())) {
                    // everything due: the email and the webhook call
                }
                return webhookCalls.get() > 0 && failingCalls.get() > 0;
            });
            // the failing webhook is removed before its retry: that delivery is given up
            given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", failingWebhookId).then().statusCode(204);
            failingWebhookId = null;
            while (delivery.sendNext(Instant.now().plus(Duration.ofMinutes(2)))) {
                // the retries due by then
            }
            return practice;
        } finally {
            for (String id : new String[] { webhookId, failingWebhookId }) {
                if (id != null) {
                    given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", id);
                }
            }
            receiver.stop(0);
            failingReceiver.stop(0);
        }
    }

    /** A real HTTP receiver answering every call with {@code status}, counting the calls. */
    private static HttpServer receiver(int status, AtomicInteger calls) throws java.io.IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/metrics", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        return receiver;
    }

    /** Alice's provider calls this receiver on every alert; returns the webhook's id. */
    private static String webhook(HttpServer receiver) {
        return (String) given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("url", "http://localhost:" + receiver.getAddress().getPort() + "/hooks/metrics"))
                .post("/api/webhooks").then().statusCode(201).extract().as(Map.class).get("id");
    }

    /** A trigger in the real PostgreSQL that refuses the practice's rule states, so its evaluation throws (or stops that). */
    private void refuseRuleStatesOf(Practice practice, boolean on) {
        String name = "test_metrics_refuse_" + practice.id.toString().replace("-", "");
        QuarkusTransaction.requiringNew().run(() -> {
            if (on) {
                entityManager.createNativeQuery("create function " + name + "() returns trigger language plpgsql as $$ begin "
                        + "if new.practice_id = '" + practice.id + "' then raise exception 'test fault: rule states refused'; end if; "
                        + "return new; end $$").executeUpdate();
                entityManager.createNativeQuery("create trigger " + name + " before insert or update on rule_state "
                        + "for each row execute function " + name + "()").executeUpdate();
            } else {
                entityManager.createNativeQuery("drop trigger if exists " + name + " on rule_state").executeUpdate();
            }
        });
    }

    /** An enrolled agent reports a heartbeat (42 events waiting, 3 set aside), then a batch the control plane refuses. */
    private void reportOverGrpc(Practice practice) {
        KeyPair keys = CertificateRequests.newKeyPair();
        ManagedChannel anonymous = fleet.channel();
        EnrollResponse enrolled;
        try {
            enrolled = AgentServiceGrpc.newBlockingStub(anonymous).withDeadlineAfter(30, TimeUnit.SECONDS).enroll(EnrollRequest.newBuilder()
                    .setEnrolmentToken(fleet.token(practice)).setHostname("metrics-host").setAgentVersion("test").setOperatingSystem("Linux")
                    .setCertificateSigningRequest(ByteString.copyFrom(CertificateRequests.request(keys, "metrics-host"))).build());
        } finally {
            anonymous.shutdownNow();
        }
        X509Certificate certificate = Pem.certificate(enrolled.getClientCertificate().toByteArray());
        ManagedChannel channel = fleet.channel(certificate, keys.getPrivate());
        try {
            AgentServiceBlockingStub agent = AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            Instant now = Instant.now();
            AgentEvent heartbeat = AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practice.id.toString())
                    .setOccurredAt(ProtoTime.timestamp(now)).setHeartbeat(Heartbeat.newBuilder().setHostname("metrics-host")
                            .setOutboxDepth(42).setEventsSetAside(3).setOldestSetAsideAt(ProtoTime.timestamp(now.minusSeconds(60))))
                    .build();
            agent.reportEvents(ReportEventsRequest.newBuilder().addEvents(heartbeat).build());
            AgentEvent undated = heartbeat.toBuilder().setEventId(UUID.randomUUID().toString()).clearOccurredAt().build();
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> agent.reportEvents(ReportEventsRequest.newBuilder().addEvents(undated).build()));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            UUID agentId = UUID.fromString(enrolled.getAgentId());
            await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(
                    () -> AgentPresence.<AgentPresence> findByIdOptional(agentId).map(p -> p.setAside() == 3).orElse(false)));
        } finally {
            channel.shutdownNow();
        }
    }

    /** The value of the one series of {@code name} whose labels are exactly {@code labels} (as rendered, in order). */
    static double value(String scrape, String name, String labels) {
        String series = labels.isEmpty() ? name : name + "{" + labels + ",?}";
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + ",?\\}")
                + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("the series " + series + " in /q/metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** What a promtool run printed (stdout and stderr) and its exit code. */
    record PromtoolRun(String output, int exitCode) {

        static PromtoolRun of(String stdin, String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
            return new PromtoolRun(output.strip(), process.exitValue());
        }
    }
}
