package io.rampart.agent.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * One sample of the control plane's memory from its Prometheus endpoint ({@code /q/metrics} on the management port):
 * the sum of {@code jvm_memory_used_bytes} over the heap pools and over the non-heap pools, and
 * {@code process_resident_memory_bytes} when the platform reports it.
 */
record ControlPlaneMemory(OptionalLong heapUsed, OptionalLong nonHeapUsed, OptionalLong residentSet, String problem) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Reads {@code <management>/q/metrics}; a problem (unreachable, not 200) is reported, never thrown. */
    static ControlPlaneMemory sample(URI management) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(management.resolve("/q/metrics")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return unavailable("/q/metrics answered HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (java.io.IOException | RuntimeException e) {
            return unavailable(management + "/q/metrics could not be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while reading " + management + "/q/metrics");
        }
    }

    static ControlPlaneMemory unavailable(String problem) {
        return new ControlPlaneMemory(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), problem);
    }

    static ControlPlaneMemory parse(String prometheusText) {
        double heap = 0;
        double nonHeap = 0;
        boolean sawHeap = false;
        boolean sawNonHeap = false;
        OptionalLong rss = OptionalLong.empty();
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{")) {
                double value = value(line);
                if (line.contains("area=\"heap\"")) {
                    heap += value;
                    sawHeap = true;
                } else if (line.contains("area=\"nonheap\"")) {
                    nonHeap += value;
                    sawNonHeap = true;
                }
            } else if (line.startsWith("process_resident_memory_bytes ") || line.startsWith("process_resident_memory_bytes{")) {
                rss = OptionalLong.of((long) value(line));
            }
        }
        if (!sawHeap && !sawNonHeap && rss.isEmpty()) {
            return unavailable("/q/metrics has no jvm_memory_used_bytes");
        }
        return new ControlPlaneMemory(sawHeap ? OptionalLong.of((long) heap) : OptionalLong.empty(),
                sawNonHeap ? OptionalLong.of((long) nonHeap) : OptionalLong.empty(), rss, null);
    }

    /** The sample value: the first field after the metric name and its labels (a timestamp may follow). */
    private static double value(String line) {
        int labelsEnd = line.lastIndexOf('}');
        String rest = (labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '))).strip();
        String number = rest.split("\\s+")[0];
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String describe() {
        if (problem != null) {
            return "unavailable (" + problem + ")";
        }
        return "heap used " + mb(heapUsed) + ", non-heap used " + mb(nonHeapUsed) + ", rss " + mb(residentSet);
    }

    private static String mb(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f MB", bytes.getAsLong() / (1024.0 * 1024.0)) : "n/a";
    }
}
