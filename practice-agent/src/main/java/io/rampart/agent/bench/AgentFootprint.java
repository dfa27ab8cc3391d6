package io.rampart.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures what an idle agent costs a practice server: starts `rampart-agent run` as its own
 * process with the installer's JVM options, lets it settle, then samples its resident memory
 * and CPU time from /proc (Linux) and prints them.
 *
 * <pre>java -cp rampart-agent.jar io.rampart.agent.bench.AgentFootprint --home DIR [--warmup 30s] [--duration 60s]</pre>
 */
public final class AgentFootprint {

    /** The JVM options of the Linux installer's wrapper (control-plane/src/main/resources/installer/install.sh): keep the two in step. */
    static final List<String> AGENT_JVM_OPTIONS = List.of(System.getProperty("agent.jvm.options",
            "-Xms8m -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -Xss256k -XX:-UsePerfData -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled -Dio.grpc.netty.shaded.io.netty.eventLoopThreads=1").split(" "));
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private AgentFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        Duration warmup = Duration.ofSeconds(30);
        Duration duration = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--warmup" -> warmup = BenchOptions.parseDuration(args[i], args[++i]);
                case "--duration" -> duration = BenchOptions.parseDuration(args[i], args[++i]);
                default -> {
                    System.err.println("usage: AgentFootprint --home DIR [--warmup 30s] [--duration 60s]");
                    System.exit(64);
                }
            }
        }
        if (home == null || !Files.exists(home.resolve("agent.properties"))) {
            System.err.println("--home must be an enrolled agent's home (e.g. data/demo/harbour-street/agent of ./run-demo)");
            System.exit(64);
        }
        Path jar = Path.of(AgentFootprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AGENT_JVM_OPTIONS);
        command.addAll(List.of("-cp", jar.toString(), "io.rampart.agent.cli.Main", "run", "--home", home.toString()));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
            long cpuBefore = cpuTicks(agent.pid());
            long started = System.nanoTime();
            long maxRss = 0;
            long sumRss = 0;
            int samples = 0;
            while (System.nanoTime() - started < duration.toNanos()) {
                long rss = rssKilobytes(agent.pid());
                maxRss = Math.max(maxRss, rss);
                sumRss += rss;
                samples++;
                TimeUnit.SECONDS.sleep(1);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (cpuTicks(agent.pid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
            System.out.printf("Rampart agent footprint (idle, after %d s warm-up, %d samples over %.0f s)%n",
                    warmup.toSeconds(), samples, seconds);
            System.out.printf("JVM options: %s%n", String.join(" ", AGENT_JVM_OPTIONS));
            System.out.printf("resident memory: mean %.1f MB, max %.1f MB%n", sumRss / (double) samples / 1024, maxRss / 1024.0);
            System.out.printf("CPU: %.2f s in %.0f s = %.2f %% of one core%n", cpuSeconds, seconds, 100 * cpuSeconds / seconds);
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long rssKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
