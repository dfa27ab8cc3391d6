package io.rampart.controlplane.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.config.AgentHome;
import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * A real practice agent (its own outbox on disk, its NAS copy check) whose outbox is on a
 * 1 MiB tmpfs (mounted here: the test runs as root) that is filled to the last byte for three
 * check rounds and then freed. Events it could not write were never acknowledged; every event
 * that reached its outbox is acknowledged after space returns, and the agent goes on working.
 */
final class AgentDiskFull implements FaultInjectionIT.Fault, AutoCloseable {

    /** Outbox file names: seconds-nanos-eventid then .event or .heartbeat.event (Outbox.fileNameFor). */
    private static final Pattern OUTBOX_FILE = Pattern.compile("\\d{12}-\\d{9}-([A-Za-z0-9_-]+)(\\.heartbeat)?\\.event");

    private final Path outbox;
    private final PracticeAgent agent;
    private final UUID practice;
    private final Set<String> acknowledged = new HashSet<>();
    private int refusedWrites;

    AgentDiskFull(Path directory, ControlPlaneProcess controlPlane, ProcessDatabase database) throws Exception {
        practice = database.seedPractice("Full Disk Surgery " + UUID.randomUUID());
        Path nas = Files.createDirectories(directory.resolve("nas"));
        Files.write(nas.resolve("clinical.bak"), new byte[2048]);
        AgentHome home = AgentHome.at(Files.createDirectories(directory.resolve("agent")));
        outbox = Files.createDirectories(home.outboxDirectory());
        Assumptions.assumeTrue(mount(outbox), "mounting a 1 MiB tmpfs needs root (or CAP_SYS_ADMIN); the disk-full scenario is skipped");
        Files.writeString(home.checksFile(), "check.nas-copy.path=" + nas + "\n");
        Enrolment.enroll(home, URI.create(controlPlane.grpcUrl()), database.issueToken(practice), "full-disk-server",
                controlPlane.caCertificates());
        agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.refreshConfiguration();
        agent.runChecksNow();
        deliverAll();
    }

    private static boolean mount(Path at) {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString()).redirectErrorStream(true)
                    .start();
            mount.getInputStream().readAllBytes();
            return mount.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void inject() throws Exception {
        // the filler lives on the tmpfs too (a hidden name the outbox does not read)
        Path fill = outbox.resolve(".filler");
        try (OutputStream out = Files.newOutputStream(fill)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left on device: what the test wanted
        }
        for (int round = 0; round < 3; round++) {
            try {
                agent.runChecksNow();
            } catch (RuntimeException noSpace) {
                refusedWrites++;
            }
        }
    }

    @Override
    public void heal() throws Exception {
        Files.deleteIfExists(outbox.resolve(".filler"));
        for (int round = 0; round < 3; round++) {
            agent.runChecksNow();
        }
        deliverAll();
    }

    /** Notes the ids waiting in the outbox, then delivers until it is empty: those ids were acknowledged. */
    private void deliverAll() {
        Set<String> waiting = waitingIds();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            agent.deliverNow();
            return agent.outboxSize() == 0;
        });
        acknowledged.addAll(waiting);
    }

    private Set<String> waitingIds() {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> files = Files.list(outbox)) {
            files.forEach(file -> {
                Matcher name = OUTBOX_FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    ids.add(name.group(1));
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }

    /** How many of the check rounds while the disk was full could not write their events. */
    int refusedWrites() {
        return refusedWrites;
    }

    @Override
    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    @Override
    public List<String> practiceIds() {
        return List.of(practice.toString());
    }

    @Override
    public void close() throws Exception {
        agent.close();
        new ProcessBuilder("umount", "-l", outbox.toString()).start().waitFor();
    }
}
