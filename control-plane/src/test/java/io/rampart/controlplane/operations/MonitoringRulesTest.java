package io.rampart.controlplane.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.operations.PrometheusMetricsTest.PromtoolRun;

/**
 * The shipped Prometheus alert rules (deploy/monitoring/rampart-alerts.yml) are valid for Debian's promtool and fire as
 * their unit tests (rampart-alerts-test.yml: input series, expected alerts with their words) say. That the metric
 * names in them exist is PrometheusMetricsTest's part.
 */
class MonitoringRulesTest {

    @Test
    void theAlertRulesAreValidForPromtool() throws Exception {
        PromtoolRun check = PromtoolRun.of("", PrometheusMetricsTest.PROMTOOL, "check", "rules", MonitoringFiles.rules().toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 12 rules found");
    }

    @Test
    void theAlertRulesFireAsTheirUnitTestsSay() throws Exception {
        PromtoolRun test = PromtoolRun.of("", PrometheusMetricsTest.PROMTOOL, "test", "rules",
                MonitoringFiles.folder().resolve("rampart-alerts-test.yml").toString());

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyRuleExpressionReadsRampartsOwnMetrics() {
        assertThat(MonitoringFiles.ruleExpressions()).hasSize(12)
                .allSatisfy(expression -> assertThat(MonitoringFiles.metricNames(java.util.List.of(expression))).as(expression).isNotEmpty());
    }
}
