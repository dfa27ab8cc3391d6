package io.rampart.controlplane.operations;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
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
 * <li>Tag keys of libraries in camelCase (grpc-java's {@code methodType}, {@code statusCode}) become snake_case
 * ({@code method_type}, {@code status_code}).</li>
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
                if (named.getName().startsWith(OWN)) {
                    return named;
                }
                String description = named.getDescription() == null || named.getDescription().isBlank()
                        ? "Recorded by a library Rampart uses (" + named.getName() + "); it gives no description"
                        : named.getDescription();
                return new Meter.Id(named.getName(), snakeCaseKeys(named), named.getBaseUnit(), description, named.getType());
            }
        };
    }

    /**
     * The tags with camelCase keys in snake_case (grpc-java's Micrometer interceptor tags {@code methodType} and
     * {@code statusCode}; promtool: "label names should be written in 'snake_case' not 'camelCase'").
     */
    static Tags snakeCaseKeys(Meter.Id id) {
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.add(Tag.of(snakeCase(tag.getKey()), tag.getValue()));
        }
        return Tags.of(tags);
    }

    /** {@code statusCode} -> {@code status_code}; anything without upper-case letters unchanged. */
    static String snakeCase(String key) {
        StringBuilder snake = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && key.charAt(i - 1) != '_' && key.charAt(i - 1) != '.') {
                    snake.append('_');
                }
                snake.append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }
}
