package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/** The demo practices' agents, each a separate process of the real agent jar. */
final class DemoAgents {

    private static final Logger LOG = Logger.getLogger(DemoAgents.class);

    private final List<Process> running = new ArrayList<>();

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
            Process agent = new ProcessBuilder(java(), "-Xmx64m", "-jar", jar.toAbsolutePath().toString(), "run",
                    "--home", home.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
