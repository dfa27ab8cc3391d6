package io.rampart.agent.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The load benchmark's command line: {@code --agents N} and optional tuning flags. */
public record BenchOptions(int agents, URI http, String grpc, Duration duration, int batch, Duration warmup,
        int concurrency, int channels, URI metrics) {

    static final String USAGE = """
            usage: java -cp rampart-agent-bench.jar io.rampart.agent.bench.LoadBenchmark --agents N [options]
              --agents N          simulated agents (each one enrols into a new practice)     required
              --http URL          control plane's HTTP address                             default http://localhost:8080
              --grpc HOST:PORT    control plane's gRPC address (TLS)                      default localhost:9000
              --duration D        measured load time, e.g. 30s, 2m, 500ms                  default 30s
              --warmup D          load time before measuring (results discarded)           default 5s
              --batch N           events per ReportEvents call                             default 50
              --concurrency N     ReportEvents calls in flight at most                     default 64
              --channels N        connections the agents enrol over                       default 4
              --metrics URL       control plane's management address (/q/metrics)          default the --http host, port 9001
            """;

    public BenchOptions {
        require(agents >= 1, "--agents must be at least 1");
        require(batch >= 1, "--batch must be at least 1");
        require(concurrency >= 1, "--concurrency must be at least 1");
        require(channels >= 1, "--channels must be at least 1");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(http.getScheme() != null && http.getHost() != null, "--http must look like http://host:port, got " + http);
        require(grpc.contains(":"), "--grpc must look like host:port, got " + grpc);
        require(metrics.getScheme() != null && metrics.getHost() != null, "--metrics must look like http://host:port, got " + metrics);
    }

    /** Thrown for a command line that cannot be run; its message says what is wrong. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static BenchOptions parse(String... args) {
        Integer agents = null;
        String http = "http://localhost:8080";
        String grpc = "localhost:9000";
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        int batch = 50;
        int concurrency = 64;
        int channels = 4;
        String metrics = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException("");
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException(arg + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--agents" -> agents = parseInt(name, value);
                case "--http" -> http = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                case "--grpc" -> grpc = value;
                case "--duration" -> duration = parseDuration(name, value);
                case "--warmup" -> warmup = parseDuration(name, value);
                case "--batch" -> batch = parseInt(name, value);
                case "--concurrency" -> concurrency = parseInt(name, value);
                case "--channels" -> channels = parseInt(name, value);
                case "--metrics" -> metrics = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (agents == null) {
            throw new UsageException("--agents is required");
        }
        URI httpUri;
        try {
            httpUri = URI.create(http);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--http is not a URL: " + http);
        }
        URI metricsUri;
        try {
            // health and metrics are on the control plane's management port, never on the public one
            metricsUri = metrics != null ? URI.create(metrics)
                    : new URI(httpUri.getScheme(), null, httpUri.getHost(), 9001, null, null, null);
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new UsageException("--metrics is not a URL: " + metrics);
        }
        return new BenchOptions(agents, httpUri, grpc, duration, batch, warmup, concurrency, channels, metricsUri);
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** Reads {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1m30s}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT30S}. */
    static Duration parseDuration(String option, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            Matcher m = DURATION_PART.matcher(value);
            long nanos = 0;
            int end = 0;
            while (m.find() && m.start() == end) {
                double amount = Double.parseDouble(m.group(1));
                long unit = switch (m.group(2)) {
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                nanos += Math.round(amount * unit);
                end = m.end();
            }
            if (end == 0 || end != value.length()) {
                throw new IllegalArgumentException();
            }
            return Duration.ofNanos(nanos);
        } catch (RuntimeException e) {
            throw new UsageException(option + " is not a duration (e.g. 30s, 500ms, 2m): " + text);
        }
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " is not a whole number: " + value);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UsageException(message);
        }
    }
}
