package io.rampart.controlplane.operations;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps /q/metrics clean for {@code promtool check metrics} (Prometheus' own lint, run on the real output by
 * PrometheusMetricsTest) where the meters of the libraries Rampart uses are not:
 * <ul>
 * <li>Micrometer's ProcessorMetrics {@code system.cpu.count} would be {@code system_cpu_count}, which promtool takes for
 * a summary's {@code _count}: renamed {@code system.cpus} ({@code system_cpus}).</li>
 * <li>Its {@code process.cpu.time} has the base unit {@code ns} ({@code process_cpu_time_ns_total}, "abbreviated
 * units"): denied; {@code process_cpu_usage} remains, and a filter cannot convert the values to seconds.</li>
 * <li>Every LongTaskTimer (Quarkus' Vert.x binder times open HTTP connections with one): its Prometheus form has
 * samples ({@code _active_count}, {@code _duration_sum}) that no Prometheus type allows, so promtool reads them as
 * families without help. Denied.</li>
 * <li>A meter of a library that gives no description gets one naming where it comes from, so no HELP line is empty.</li>
 * </ul>
 * Rampart's own meters ({@code rampart.*}) pass unchanged: each has its own description (PrometheusMetricsTest checks).
 */
@Singleton
public class PrometheusMeterFilters {

    /** Names of Rampart's own meters start with this. */
    static final String OWN = "rampart.";

    @Produces
    @Singleton
    MeterFilter promtoolClean() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                if (id.getType() == Meter.Type.LONG_TASK_TIMER || id.getName().equals("process.cpu.time")) {
                    return MeterFilterReply.DENY;
                }
                return MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                Meter.Id named = id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                if (!named.getName().startsWith(OWN) && (named.getDescription() == null || named.getDescription().isBlank())) {
                    return new Meter.Id(named.getName(), Tags.of(named.getTagsAsIterable()), named.getBaseUnit(),
                            "Recorded by a library Rampart uses (" + named.getName() + "); it gives no description", named.getType());
                }
                return named;
            }
        };
    }
}
