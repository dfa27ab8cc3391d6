package io.rampart.agent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rampart.agent.collectors.BackupFolderCollector;
import io.rampart.agent.collectors.folder.ReadBackBudget;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;

/**
 * Read-back throughput next to {@code sha256sum} on the same files: makes a folder of backup files (random bytes,
 * so nothing compresses) or takes one, reads it once to warm the page cache, times {@code sha256sum} over every file,
 * then runs the backup folder check with read-back and no manifest in a JVM of its own started with the agent's JVM
 * options ({@link AgentJvmOptions#AGENT_JVM_OPTIONS}), unthrottled, twice: the first run fingerprints every file, the
 * second (a day later by the check's clock) re-reads them all. While the agent runs, its resident memory and CPU
 * time are sampled from /proc (Linux). Prints MB/s (10^6 bytes per second) of each and the ratio.
 *
 * <pre>java -cp practice-agent-bench/target/rampart-agent-bench.jar io.rampart.agent.bench.ReadBackBenchmark [--files 8] [--size-mb 256] [--folder DIR]</pre>
 */
public final class ReadBackBenchmark {

    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private ReadBackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--agent")) {
            agent(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        int files = 8;
        long sizeMb = 256;
        Path folder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--size-mb" -> sizeMb = Long.parseLong(args[++i]);
                case "--folder" -> folder = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ReadBackBenchmark [--files 8] [--size-mb 256] [--folder DIR]");
                    System.exit(64);
                }
            }
        }
        Path scratch = Files.createTempDirectory("rampart-readback-bench");
        try {
            if (folder == null) {
                folder = Files.createDirectories(scratch.resolve("backups"));
                make(folder, files, sizeMb * 1_000_000);
            }
            List<Path> all;
            try (Stream<Path> walk = Files.walk(folder)) {
                all = walk.filter(Files::isRegularFile).sorted().toList();
            }
            long bytes = 0;
            for (Path file : all) {
                bytes += Files.size(file);
            }
            sha256sum(all); // warms the page cache: both then read from memory, and hashing is what is compared
            long started = System.nanoTime();
            double sumCpu = sha256sum(all);
            double sumSeconds = (System.nanoTime() - started) / 1e9;
            Path home = Files.createDirectories(scratch.resolve("home"));
            AgentRun run = agentProcess(folder, home);

            double sumRate = bytes / 1e6 / sumSeconds;
            double firstRate = bytes / 1e6 / run.firstSeconds;
            double secondRate = bytes / 1e6 / run.secondSeconds;
            System.out.printf("Read-back of %d files, %.0f MB (page cache warm), %d cores%n", all.size(), bytes / 1e6,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("sha256sum:                        %7.1f MB/s (%.2f s; %.0f MB per CPU second)%n", sumRate, sumSeconds,
                    bytes / 1e6 / sumCpu);
            System.out.printf("agent, first read (fingerprints): %7.1f MB/s (%.2f s) = %.2f of sha256sum%n", firstRate, run.firstSeconds,
                    firstRate / sumRate);
            System.out.printf("agent, re-read (rotation):        %7.1f MB/s (%.2f s) = %.2f of sha256sum%n", secondRate, run.secondSeconds,
                    secondRate / sumRate);
            System.out.printf("agent process and its hasher (%s): resident memory mean %.1f MB, max %.1f MB; CPU %.1f s in %.1f s = %.0f %% of one core%n",
                    String.join(" ", AgentJvmOptions.AGENT_JVM_OPTIONS.subList(0, 4)), run.meanRssKb / 1024, run.maxRssKb / 1024.0,
                    run.cpuSeconds, run.wallSeconds, 100 * run.cpuSeconds / run.wallSeconds);
            System.out.printf("agent: %.0f MB per CPU second over both runs%n", 2 * bytes / 1e6 / run.cpuSeconds);
            System.out.println("summary of the re-read: " + run.summary);
            System.out.println("files of " + io.rampart.agent.collectors.folder.Sha256.NATIVE_FROM_BYTES / 1024
                    + " KiB and more are piped to " + run.hasher + "; smaller ones are hashed in Java");
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record AgentRun(double firstSeconds, double secondSeconds, double meanRssKb, long maxRssKb, double cpuSeconds,
            double wallSeconds, String summary, String hasher) {
    }

    private static void make(Path folder, int files, long size) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < files; i++) {
            Path file = folder.resolve(String.format("clinical-2026-11-%02d.bak", i + 1));
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < size; written += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(files - i))));
        }
    }

    /** Runs sha256sum over the files; its CPU seconds (sampled from /proc while it runs). */
    private static double sha256sum(List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        files.forEach(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long ticks = 0;
        while (process.isAlive()) {
            try {
                ticks = cpuTicks(process.pid());
            } catch (IOException | RuntimeException e) {
                // ended meanwhile
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("sha256sum failed");
        }
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Runs {@link #agent} in a JVM with the agent's options and samples it. */
    private static AgentRun agentProcess(Path folder, Path home) throws Exception {
        Path jar = Path.of(ReadBackBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AgentJvmOptions.AGENT_JVM_OPTIONS);
        command.addAll(List.of("-cp", jar.toString(), ReadBackBenchmark.class.getName(), "--agent", folder.toString(), home.toString()));
        Path output = home.resolve("bench-output.txt");
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long started = System.nanoTime();
        long maxRss = 0;
        long sumRss = 0;
        int samples = 0;
        long cpuTicks = 0;
        while (agent.isAlive()) {
            try {
                // the agent and the hasher it pipes big files to (openssl or sha256sum): both are the read-back's cost
                long rss = rssKilobytes(agent.pid());
                for (ProcessHandle child : agent.descendants().toList()) {
                    try {
                        // a child still being spawned shares the agent's pages and would count them twice
                        String name = Files.readString(Path.of("/proc", Long.toString(child.pid()), "comm")).strip();
                        rss += name.equals("openssl") || name.equals("sha256sum") ? rssKilobytes(child.pid()) : 0;
                    } catch (IOException | RuntimeException e) {
                        // ended meanwhile; its CPU is in the agent's cutime
                    }
                }
                cpuTicks = cpuTicks(agent.pid());
                maxRss = Math.max(maxRss, rss);
                sumRss += rss;
                samples++;
            } catch (IOException | RuntimeException e) {
                // the process ended between the check and the read
            }
            agent.waitFor(100, TimeUnit.MILLISECONDS);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (agent.exitValue() != 0 || !printed.contains("RESULT ")) {
            throw new IllegalStateException("the agent's read-back failed: " + printed);
        }
        String[] result = printed.substring(printed.indexOf("RESULT ") + 7).strip().split(" ", 3);
        String hasher = printed.lines().filter(l -> l.startsWith("hasher: ")).findFirst().orElse("hasher: ?").substring(8);
        return new AgentRun(Long.parseLong(result[0]) / 1e9, Long.parseLong(result[1]) / 1e9, samples == 0 ? 0 : sumRss / (double) samples,
                maxRss, cpuTicks / (double) CLOCK_TICKS_PER_SECOND, wall, result[2], hasher);
    }

    /** In the agent's JVM: the check twice, a day apart by its clock, unthrottled; prints "RESULT nanos nanos summary". */
    private static void agent(Path folder, Path home) {
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setInterval(DesiredConfiguration.toProto(Duration.ofDays(1)))
                .setBackupFolder(BackupFolderSettings.newBuilder().setReadBack(true).setMinSizeBytes(1)
                        .setReadBackMbPerSecond(10_000).setReadBackHoursPerDay(24))
                .build();
        LocalChecks bindings = LocalChecks.of(Map.of("nas-copy", folder));
        long[] took = new long[2];
        CheckResult result = null;
        for (int run = 0; run < 2; run++) {
            Clock clock = Clock.fixed(NOW.plus(Duration.ofDays(run)), ZoneOffset.UTC);
            long started = System.nanoTime();
            result = new BackupFolderCollector(AgentHome.at(home), bindings, clock, ReadBackBudget.Pace::of).run(check);
            took[run] = System.nanoTime() - started;
        }
        System.out.println("hasher: " + io.rampart.agent.collectors.folder.Sha256.hasherName());
        System.out.println("RESULT " + took[0] + " " + took[1] + " " + result.getStatus() + ": " + result.getSummary());
    }

    private static long rssKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** utime + stime of the process and of its ended children, in clock ticks (/proc/PID/stat fields 14 to 17). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
}
