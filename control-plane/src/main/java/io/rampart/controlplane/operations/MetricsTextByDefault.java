package io.rampart.controlplane.operations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;

/**
 * Makes /q/metrics answer the Prometheus text format 0.0.4 unless OpenMetrics is asked for by name.
 *
 * <p>Quarkus' handler answers OpenMetrics to an Accept that names neither {@code text/plain} nor {@code text/html}, so
 * to curl's {@code *}{@code /*} and to no Accept at all. {@code promtool check metrics} reads only the text format: fed
 * OpenMetrics it reports every counter as "no help text" (Debian's promtool 2.42). So an operator's
 * {@code curl -s http://<control-plane>/q/metrics | promtool check metrics} gets the text format, and a client that
 * asks for {@code application/openmetrics-text} still gets it. Prometheus' own scrapes name {@code text/plain} and are
 * unchanged. The path is on the management interface (port 9001, quarkus.management.*), not on the public listener.
 */
@ApplicationScoped
public class MetricsTextByDefault {

    /** Quarkus' metrics path (quarkus.micrometer.export.prometheus.path under the non-application root /q). */
    static final String PATH = "/q/metrics";

    void install(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE + 2).handler(context -> {
            if (PATH.equals(context.normalizedPath())) {
                String accept = context.request().getHeader(HttpHeaders.ACCEPT);
                if (accept == null || !(accept.contains("application/openmetrics-text") || accept.contains("text/plain"))) {
                    context.request().headers().set(HttpHeaders.ACCEPT, "text/plain");
                }
            }
            context.next();
        });
    }
}
