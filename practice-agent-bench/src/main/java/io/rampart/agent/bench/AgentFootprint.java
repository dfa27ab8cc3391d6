package io.rampart.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what an idle agent costs a practice server: starts the shipped jar ({@code java OPTIONS -jar
 * rampart-agent.jar run --home DIR}) with the Linux installer's JVM options, as the installed service runs it, lets it
 * settle, then samples its resident memory every second and its CPU time from /proc (Linux) and prints them:
 * resident memory p50, mean and max in MB (2^20 bytes), CPU as a percentage of one core, threads, and the aim (64 MB,
 * 0.5 %).
 *
 * <p>The class-data-sharing archive the installed service keeps in its home ({@code rampart-agent.jsa}) is made
 * first unless a usable one is there, as the service makes it over its first two starts (a run that lists the classes it
 * loads, then {@code -Xshare:dump}; {@link AgentJvmOptions#prepareArchive}): that run is not measured.
 *
 * <pre>java -cp practice-agent-bench/target/rampart-agent-bench.jar io.rampart.agent.bench.AgentFootprint --home DIR
 *     [--agent-jar practice-agent/target/rampart-agent.jar] [--warmup 30s] [--duration 60s]</pre>
 */
public final class AgentFootprint {

    /** The aim of issue 15: what an idle agent may cost at most. */
    static final double AIM_RSS_MB = 64;
    static final double AIM_CPU_PERCENT = 0.5;
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final String USAGE = "usage: AgentFootprint --home DIR [--agent-jar JAR] [--warmup 30s] [--duration 60s]";

    private AgentFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path jar = null;
        Duration warmup = Duration.ofSeconds(30);
        Duration duration = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage("a value is missing after " + args[i]);
            }
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--agent-jar" -> jar = Path.of(args[++i]);
                case "--warmup" -> warmup = BenchOptions.parseDuration(args[i], args[++i]);
                case "--duration" -> duration = BenchOptions.parseDuration(args[i], args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (home == null || !Files.exists(home.resolve("agent.properties"))) {
            usage("--home must be an enrolled agent's home (e.g. data/demo/harbour-street/agent of ./run-demo)");
        }
        if (jar == null) {
            jar = AgentJvmOptions.shippedJar();
        }
        if (!Files.isRegularFile(jar)) {
            usage("no agent jar at " + jar.toAbsolutePath() + ": build it (./mvnw -pl practice-agent package) or give --agent-jar");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        AgentJvmOptions.prepareArchive(java, jar, home, warmup);
        List<String> options = AgentJvmOptions.linuxService(home);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "run", "--home", home.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("LC_ALL", "C.UTF-8")); // as the installer's wrapper sets it for a service
        Process agent = builder.start();
        try {
            TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited with " + agent.exitValue() + " during the warm-up: run it by hand to see why");
            }
            long cpuBefore = cpuTicks(agent.pid());
            long started = System.nanoTime();
            List<Long> rss = new ArrayList<>();
            while (System.nanoTime() - started < duration.toNanos()) {
                rss.add(status(agent.pid(), "VmRSS:"));
                TimeUnit.SECONDS.sleep(1);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (cpuTicks(agent.pid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
            long[] sorted = rss.stream().mapToLong(Long::longValue).sorted().toArray();
            double p50 = sorted[(sorted.length - 1) / 2] / 1024.0;
            double max = sorted[sorted.length - 1] / 1024.0;
            double mean = Arrays.stream(sorted).average().orElse(0) / 1024;
            double cpuPercent = 100 * cpuSeconds / seconds;
            System.out.printf("Rampart agent footprint (idle, after %d s warm-up, %d samples over %.0f s)%n",
                    warmup.toSeconds(), sorted.length, seconds);
            System.out.printf("agent: %s%n", jar.toAbsolutePath().normalize());
            System.out.printf("JVM options: %s%n", String.join(" ", options));
            System.out.printf("resident memory: p50 %.1f MB, mean %.1f MB, max %.1f MB (now %.1f MB anonymous, %.1f MB mapped files)%n",
                    p50, mean, max, status(agent.pid(), "RssAnon:") / 1024.0, status(agent.pid(), "RssFile:") / 1024.0);
            System.out.printf("CPU: %.2f s in %.0f s = %.2f %% of one core%n", cpuSeconds, seconds, cpuPercent);
            System.out.printf("threads: %d%n", status(agent.pid(), "Threads:"));
            System.out.printf("aim: at most %.0f MB and %.1f %%: %s%n", AIM_RSS_MB, AIM_CPU_PERCENT,
                    max <= AIM_RSS_MB && cpuPercent <= AIM_CPU_PERCENT ? "met" : "NOT met");
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(64);
    }

    /** A number field of /proc/PID/status (VmRSS:, RssAnon:, RssFile: in kB; Threads:). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " for process " + pid);
    }

    /** utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
