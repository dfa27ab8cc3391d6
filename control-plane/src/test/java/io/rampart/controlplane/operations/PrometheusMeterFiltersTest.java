package io.rampart.controlplane.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import io.rampart.controlplane.operations.PrometheusMetricsTest.PromtoolRun;

/**
 * The filter alone, on a Prometheus registry with the upstream meters promtool objects to (Micrometer's
 * ProcessorMetrics, a LongTaskTimer as Quarkus' Vert.x binder registers, grpc-java's camelCase tags, a counter
 * without description): the text it renders passes Debian's {@code promtool check metrics}; without the filter it
 * does not (so this test would notice a promtool that stopped objecting).
 */
class PrometheusMeterFiltersTest {

    @Test
    void theUpstreamOffendersRenderCleanForPromtoolWithTheFilterAndNotWithout() throws Exception {
        PrometheusMeterRegistry filtered = offenders(true);
        PrometheusMeterRegistry unfiltered = offenders(false);

        PromtoolRun clean = PromtoolRun.of(filtered.scrape(), PrometheusMetricsTest.PROMTOOL, "check", "metrics");
        PromtoolRun dirty = PromtoolRun.of(unfiltered.scrape(), PrometheusMetricsTest.PROMTOOL, "check", "metrics");

        assertThat(clean.output()).isEmpty();
        assertThat(clean.exitCode()).isZero();
        assertThat(dirty.exitCode()).isEqualTo(3);
        assertThat(dirty.output()).contains(
                "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix",
                "process_cpu_time_ns_total metric names should not contain abbreviated units",
                "http_server_connections_seconds_active_count no help text",
                "grpc_server_processing_duration_seconds label names should be written in 'snake_case' not 'camelCase'",
                "vertx_errors_total no help text");
        assertThat(filtered.scrape()).contains("system_cpus ", "grpc_server_processing_duration_seconds_count{method=\"ReportEvents\","
                + "method_type=\"UNARY\",service=\"rampart.agent.v1.AgentService\",status_code=\"OK\",}")
                .doesNotContain("process_cpu_time", "http_server_connections");
    }

    @Test
    void rampartsOwnMetersPassUnchanged() {
        PrometheusMeterRegistry registry = offenders(true);
        Counter.builder("rampart.agents.events.ingested").description("Events").register(registry).increment();

        assertThat(registry.scrape()).contains("# HELP rampart_agents_events_ingested_total Events\n", "rampart_agents_events_ingested_total 1.0");
    }

    @Test
    void camelCaseKeysBecomeSnakeCase() {
        assertThat(PrometheusMeterFilters.snakeCase("statusCode")).isEqualTo("status_code");
        assertThat(PrometheusMeterFilters.snakeCase("methodType")).isEqualTo("method_type");
        assertThat(PrometheusMeterFilters.snakeCase("consumer")).isEqualTo("consumer");
    }

    private static PrometheusMeterRegistry offenders(boolean filtered) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (filtered) {
            registry.config().meterFilter(new PrometheusMeterFilters().promtoolClean());
        }
        new ProcessorMetrics().bindTo(registry);
        LongTaskTimer.builder("http.server.connections").description("Open connections").register(registry);
        Timer.builder("grpc.server.processing.duration").description("gRPC calls").tag("service", "rampart.agent.v1.AgentService")
                .tag("method", "ReportEvents").tag("methodType", "UNARY").tag("statusCode", "OK").register(registry)
                .record(Duration.ofMillis(3));
        Counter.builder("vertx.errors").register(registry).increment();
        return registry;
    }
}
