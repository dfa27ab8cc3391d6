package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * The demo practice's UPS, served by Network UPS Tools as a practice's server would: the dummy-ups
 * driver (a simulated APC Smart-UPS, on line, fully charged, 40 minutes of runtime, its last self-test
 * passed 20 days ago by its own date) and upsd on 127.0.0.1 at a free port, both supervised child
 * processes of the control plane (DemoChildProcess), run as this user with a configuration written
 * under {@code dir} at each start.
 */
final class DemoUps implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoUps.class);
    static final String UPS = "server-ups";

    private final Path dir;
    private final int port;
    private final List<DemoChildProcess> processes = new ArrayList<>();

    private DemoUps(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts the driver, then upsd.
     *
     * @throws IllegalStateException when either does not start (the log {@code dir/nut.log} says why)
     */
    static DemoUps start(DemoTools.Nut nut, Path dir, Instant now) {
        DemoUps ups = new DemoUps(dir, DemoProcesses.freePort());
        try {
            ups.configure(now);
            ups.launch(nut);
            return ups;
        } catch (IOException | RuntimeException e) {
            ups.close();
            throw e instanceof IOException io ? new UncheckedIOException("Could not start the demo UPS in " + dir, io)
                    : (RuntimeException) e;
        }
    }

    int port() {
        return port;
    }

    /** The checks.properties lines of check "ups". */
    String bindings() {
        return "check.ups.ups=" + UPS + "\ncheck.ups.host=127.0.0.1\ncheck.ups.port=" + port + "\n";
    }

    private void configure(Instant now) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        write(conf, "nut.conf", "MODE=standalone\n");
        write(conf, "ups.conf", "[" + UPS + "]\n  driver = dummy-ups\n  port = " + UPS + ".dev\n  desc = \"Server room UPS\"\n"
                + "  pollinterval = 5\n");
        write(conf, "upsd.conf", "LISTEN 127.0.0.1 " + port + "\n");
        write(conf, "upsd.users", "");
        // APC firmware dates its self-tests month first
        String lastTest = DateTimeFormatter.ofPattern("MM/dd/uuuu").format(now.minus(Duration.ofDays(20)).atZone(ZoneId.systemDefault()));
        write(conf, UPS + ".dev", String.join("\n",
                "device.mfr: APC", "device.model: Smart-UPS 1500", "ups.mfr: APC", "ups.model: Smart-UPS 1500",
                "ups.serial: AS1234567890", "ups.status: OL", "battery.charge: 100", "battery.runtime: 2400",
                "ups.load: 23", "ups.test.result: Done and passed", "ups.test.date: " + lastTest, ""));
    }

    private static void write(Path conf, String name, String text) throws IOException {
        Path file = conf.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private void launch(DemoTools.Nut nut) {
        String user = System.getProperty("user.name");
        // -F: stay in the foreground, so the control plane owns (and stops) the process; -u: run as this user
        processes.add(process("UPS driver (dummy-ups)", nut.dummyUps().toString(), "-a", UPS, "-u", user, "-F"));
        processes.add(process("upsd", nut.upsd().toString(), "-u", user, "-F"));
        awaitListening();
        LOG.infof("The demo UPS %s is served by NUT's upsd on 127.0.0.1:%d (dummy-ups driver; config and log in %s)", UPS, port, dir);
    }

    private DemoChildProcess process(String name, String... command) {
        return DemoChildProcess.start(name, List.of(command), java.util.Map.of("NUT_CONFPATH", dir.resolve("conf").toString(),
                "NUT_STATEPATH", dir.resolve("state").toString(), "NUT_ALTPIDPATH", dir.resolve("state").toString()), dir.resolve("nut.log"));
    }

    /** upsd answers LIST UPS once it has the driver; at most 20 s. */
    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (DemoChildProcess child : processes) {
                if (!child.process().isAlive()) {
                    throw new IllegalStateException("NUT's " + child.process().info().command().orElse("process") + " exited with "
                            + child.process().exitValue() + "; see " + dir.resolve("nut.log"));
                }
            }
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(2000);
                socket.getOutputStream().write(("GET VAR " + UPS + " ups.status\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (answer != null && answer.startsWith("VAR ")) {
                    return;
                }
            } catch (IOException notYet) {
                // upsd not listening yet, or the driver not connected
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("NUT's upsd did not serve the demo UPS within 20 s; see " + dir.resolve("nut.log"));
    }

    /** Stops upsd, then the driver. */
    @Override
    public void close() {
        List<DemoChildProcess> stopOrder = new ArrayList<>(processes);
        Collections.reverse(stopOrder);
        stopOrder.forEach(DemoChildProcess::close);
        processes.clear();
    }
}
