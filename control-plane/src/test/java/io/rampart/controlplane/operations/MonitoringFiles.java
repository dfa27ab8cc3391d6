package io.rampart.controlplane.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shipped monitoring files (deploy/monitoring) and the metric names in their PromQL. */
final class MonitoringFiles {

    /** A metric name of the families Rampart exports (its own, the JVM's, the process's, HTTP's, Kafka clients'). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:rampart|jvm|process|http_server|system|kafka)_[a-z0-9_]+)\\b(?!\\s*\\()");

    private MonitoringFiles() {
    }

    /** deploy/monitoring of this checkout, found from the module's folder upwards. */
    static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy").resolve("monitoring");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no deploy/monitoring above " + Path.of("").toAbsolutePath());
    }

    static Path dashboard() {
        return folder().resolve("rampart-dashboard.json");
    }

    static Path rules() {
        return folder().resolve("rampart-alerts.yml");
    }

    /** Every "expr" of the dashboard's panels' targets. */
    static List<String> dashboardExpressions() {
        try {
            List<String> expressions = new ArrayList<>();
            collect(new ObjectMapper().readTree(dashboard().toFile()), expressions);
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode node, List<String> expressions) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    expressions.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), expressions);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, expressions));
        }
    }

    /** Every {@code expr:} of the rules file: on its line, or a block ({@code |} or {@code >}) of the lines indented below it. */
    static List<String> ruleExpressions() {
        try {
            List<String> lines = Files.readAllLines(rules());
            List<String> expressions = new ArrayList<>();
            Pattern expr = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = expr.matcher(lines.get(i));
                if (!matcher.matches()) {
                    continue;
                }
                String value = matcher.group(2).strip();
                if (!value.startsWith("|") && !value.startsWith(">")) {
                    expressions.add(value);
                    continue;
                }
                int indent = matcher.group(1).length();
                StringBuilder block = new StringBuilder();
                while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || indentOf(lines.get(i + 1)) > indent)) {
                    block.append(lines.get(++i).strip()).append('\n');
                }
                expressions.add(block.toString());
            }
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indentOf(String line) {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        return indent;
    }

    /** The metric names (of the families above) the expressions read. */
    static Set<String> metricNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** The sample names of a text-format scrape (histogram and summary samples with their _bucket, _count, _sum). */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
