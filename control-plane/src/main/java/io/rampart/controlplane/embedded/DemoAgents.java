package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/** The demo practices' agents, each a separate process of the real agent jar. */
final class DemoAgents {

    private static final Logger LOG = Logger.getLogger(DemoAgents.class);

    private final List<Process> running = new ArrayList<>();
    private List<String> jvmOptions;

    /**
     * Enrols the agent on first use (with a token from the supplier, trusting the CA in
     * {@code caFile}), then runs it. An agent without a certificate (enrolled by an older version)
     * is enrolled again.
     */
    synchronized void start(Path jar, Path home, String name, String server, Path caFile, Supplier<String> token, String checkBindings) {
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve("checks.properties"), checkBindings);
            Path log = home.resolve("agent.log");
            if (!Files.exists(home.resolve("agent.properties")) || !Files.exists(home.resolve("agent.crt"))) {
                Process enrol = new ProcessBuilder(java(), "-jar", jar.toAbsolutePath().toString(), "enroll",
                        "--server", server, "--token", token.get(), "--ca-file", caFile.toAbsolutePath().toString(),
                        "--home", home.toAbsolutePath().toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (!enrol.waitFor(60, TimeUnit.SECONDS) || enrol.exitValue() != 0) {
                    throw new IllegalStateException("The demo agent " + name + " could not enrol; see " + log);
                }
            }
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions(jar));
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "run", "--home", home.toAbsolutePath().toString()));
            Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            running.add(agent);
            LOG.infof("Started the demo agent of %s (pid %d, log %s)", name, agent.pid(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the demo agent " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while enrolling " + name, e);
        }
    }

    /** Runs `rampart-agent report` as backup software would; the running agent delivers it. */
    void report(Path jar, Path home, String checkId, String status, String message) {
        try {
            Process report = new ProcessBuilder(java(), "-jar", jar.toAbsolutePath().toString(), "report", "--check", checkId,
                    "--status", status, "--message", message, "--software", "Veeam Agent", "--home", home.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("agent.log").toFile())).start();
            if (!report.waitFor(60, TimeUnit.SECONDS) || report.exitValue() != 0) {
                LOG.warnf("The demo report for %s did not succeed; see %s", checkId, home.resolve("agent.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run the demo report", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void stopAll() {
        running.forEach(Process::destroy);
        for (Process agent : running) {
            try {
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.destroyForcibly();
            }
        }
        running.clear();
    }

    /**
     * The JVM options of an installed agent, asked of the jar as install.sh and install.ps1 ask it ({@code java -cp
     * rampart-agent.jar io.rampart.agent.cli.JvmOptions linux|windows}, one line), so that the demo's agents are as light
     * as a practice's (about 75 MB resident instead of 120-145 MB with the JVM's defaults); -Xmx64m when the jar cannot
     * say. Asked once: every demo agent runs the same jar.
     */
    private List<String> jvmOptions(Path jar) throws IOException, InterruptedException {
        if (jvmOptions == null) {
            String platform = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "windows" : "linux";
            Process ask = new ProcessBuilder(java(), "-cp", jar.toAbsolutePath().toString(), "io.rampart.agent.cli.JvmOptions", platform)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = new String(ask.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (ask.waitFor(30, TimeUnit.SECONDS) && ask.exitValue() == 0 && !line.isEmpty()) {
                jvmOptions = List.of(line.split(" "));
            } else {
                LOG.warnf("The agent jar %s did not name its JVM options; the demo agents run with -Xmx64m", jar);
                jvmOptions = List.of("-Xmx64m");
            }
        }
        return jvmOptions;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
