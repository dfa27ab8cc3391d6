package io.rampart.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rampart.agent.cli.JvmOptions;

/**
 * The JVM options the installed agent runs with, for the benchmarks that start it as a practice server would: the
 * agent's own {@link JvmOptions#LINUX}, which install.sh asks the downloaded jar for when it writes the wrapper
 * (AgentJvmOptionsTest checks that both installers do). Keep {@link #linuxService} in step with the wrapper's
 * class-data-sharing archive.
 */
public final class AgentJvmOptions {

    /** The Linux installer's JVM options (the wrapper's {@code exec "$JAVA" $JVM_OPTIONS $CDS -jar}); -Dagent.jvm.options overrides them. */
    static final List<String> AGENT_JVM_OPTIONS = List.of(System.getProperty("agent.jvm.options", JvmOptions.LINUX).split(" "));
    /** The service's class-data-sharing archive, in the agent's home (install.sh's wrapper: $RAMPART_AGENT_HOME/rampart-agent.jsa). */
    static final String ARCHIVE = "rampart-agent.jsa";
    /** The classes the service's first run loaded, archived by the wrapper before the next run ($RAMPART_AGENT_HOME/rampart-agent.classlist). */
    static final String CLASS_LIST = "rampart-agent.classlist";

    private AgentJvmOptions() {
    }

    /** What the installed service runs {@code rampart-agent run} with once its archive exists: the options and the archive. */
    static List<String> linuxService(Path home) {
        List<String> options = new ArrayList<>(AGENT_JVM_OPTIONS);
        options.addAll(List.of("-XX:SharedArchiveFile=" + home.resolve(ARCHIVE).toAbsolutePath(), "-Xshare:auto"));
        return options;
    }

    /**
     * Makes the service's class-data-sharing archive in {@code home} unless a usable one is there, as the installed
     * service does over its first two starts: runs the agent with {@code -XX:DumpLoadedClassList} for {@code training}
     * and stops it (SIGTERM, as systemd does), then archives the classes it listed ({@code -Xshare:dump}, the wrapper's
     * step before the second run). Throws IllegalStateException when no archive results.
     */
    static void prepareArchive(Path java, Path jar, Path home, Duration training) throws IOException, InterruptedException {
        Path archive = home.resolve(ARCHIVE).toAbsolutePath();
        if (Files.exists(archive) && usable(java, jar, archive)) {
            return;
        }
        Files.deleteIfExists(archive);
        Path classes = home.resolve(CLASS_LIST).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(AGENT_JVM_OPTIONS);
        command.addAll(List.of("-XX:DumpLoadedClassList=" + classes, "-jar", jar.toAbsolutePath().toString(), "run", "--home", home.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process agent = builder.start();
        TimeUnit.MILLISECONDS.sleep(training.toMillis());
        agent.destroy();
        if (!agent.waitFor(60, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
        }
        List<String> dump = new ArrayList<>(List.of(java.toString()));
        dump.addAll(AGENT_JVM_OPTIONS);
        dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + archive, "-Xlog:disable", "-cp",
                jar.toAbsolutePath().toString()));
        Process dumping = new ProcessBuilder(dump).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!dumping.waitFor(5, TimeUnit.MINUTES) || dumping.exitValue() != 0 || !Files.exists(archive)) {
            throw new IllegalStateException("java -Xshare:dump wrote no class-data-sharing archive " + archive + " from " + classes);
        }
        Files.deleteIfExists(classes);
    }

    /** Whether this Java maps the archive for this jar ({@code -Xshare:on} refuses an archive of another jar or Java). */
    static boolean usable(Path java, Path jar, Path archive) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                "-Xlog:disable", "-cp", jar.toAbsolutePath().toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
    }

    /** The agent jar shipped to practices, beside the build: practice-agent/target/rampart-agent.jar. */
    static Path shippedJar() {
        return List.of(Path.of("practice-agent/target/rampart-agent.jar"), Path.of("../practice-agent/target/rampart-agent.jar"))
                .stream().filter(Files::isRegularFile).findFirst().orElse(Path.of("practice-agent/target/rampart-agent.jar"));
    }
}
