package io.rampart.agent.nut;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Network UPS Tools as installed on this machine (Debian's nut-server), run in a scratch directory: the
 * dummy-ups driver serving UPS {@value #UPS} from a test.dev file, and upsd listening on 127.0.0.1 at a
 * free port. dummy-ups re-reads test.dev when it changes, so a test can pull the plug; a variable reported as
 * {@link #ABSENT} is removed (dummy-ups deletes a variable given an empty value), as a UPS that does not report it.
 * User {@value #USER} may start {@code test.battery.start.quick} (upsd.users {@code instcmds}); dummy-ups (NUT 2.8)
 * has no such command, so upsd answers {@code ERR CMD-NOT-SUPPORTED}, as for a UPS whose driver cannot test.
 */
public final class RealUpsd implements AutoCloseable {

    public static final String UPS = "test";
    public static final String USER = "rampart";
    public static final String PASSWORD = "s3cret pass";
    /** A value that removes the variable: the UPS does not report it. */
    public static final String ABSENT = "";

    private static final List<String> DRIVER_PLACES = List.of("/lib/nut", "/usr/lib/nut", "/usr/libexec/nut", "/usr/bin", "/usr/sbin");
    // Debian's /usr/sbin/upsd is a wrapper that insists on /etc/nut/nut.conf: the real program comes first
    private static final List<String> UPSD_PLACES = List.of("/lib/nut", "/usr/lib/nut", "/usr/libexec/nut", "/usr/sbin", "/usr/bin");

    private final Path conf;
    private final Path log;
    private final int port;
    private final List<Process> processes = new ArrayList<>();
    private Instant lastModified = Instant.EPOCH;

    private RealUpsd(Path directory, int port) {
        this.conf = directory.resolve("conf");
        this.log = directory.resolve("nut.log");
        this.port = port;
    }

    /** Empty when NUT is not installed here. */
    public static Optional<Path> find(String program, List<String> places) {
        return places.stream().map(place -> Path.of(place, program)).filter(Files::isExecutable).findFirst();
    }

    public static boolean installed() {
        return find("dummy-ups", DRIVER_PLACES).isPresent() && find("upsd", UPSD_PLACES).isPresent();
    }

    public static RealUpsd start(Path directory, Map<String, String> initialVariables) throws IOException, InterruptedException {
        RealUpsd nut = new RealUpsd(directory, freePort());
        try {
            nut.configure(directory, initialVariables);
            nut.launch(directory);
        } catch (IOException | RuntimeException e) {
            nut.close();
            throw e;
        }
        return nut;
    }

    public int port() {
        return port;
    }

    /** Replaces what the dummy UPS reports; dummy-ups notices the new file within its poll interval. */
    public void report(Map<String, String> variables) throws IOException {
        Path temp = conf.resolve("test.dev.new");
        Files.writeString(temp, devFile(variables), StandardCharsets.UTF_8);
        // dummy-ups notices a change by the file's modification time, which it may compare in whole
        // seconds: make every version at least a second newer than the one before
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        lastModified = now.isAfter(lastModified) ? now : lastModified.plusSeconds(1);
        Files.setLastModifiedTime(temp, FileTime.from(lastModified));
        Files.move(temp, conf.resolve("test.dev"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read the NUT log: " + e + ")";
        }
    }

    private void configure(Path directory, Map<String, String> variables) throws IOException {
        Files.createDirectories(conf);
        Path state = Files.createDirectories(directory.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        write("nut.conf", "MODE=standalone\n");
        write("ups.conf", "[" + UPS + "]\n  driver = dummy-ups\n  port = test.dev\n  desc = \"Rampart test UPS\"\n"
                + "  pollinterval = 1\n");
        write("upsd.conf", "LISTEN 127.0.0.1 " + port + "\n");
        write("upsd.users", "[" + USER + "]\n  password = \"" + PASSWORD + "\"\n  instcmds = test.battery.start.quick\n  upsmon secondary\n");
        write("test.dev", devFile(variables));
    }

    private void write(String name, String text) throws IOException {
        Path file = conf.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String devFile(Map<String, String> variables) {
        StringBuilder text = new StringBuilder();
        variables.forEach((name, value) -> text.append(name).append(": ").append(value.isEmpty() ? "\"\"" : value).append('\n'));
        return text.toString();
    }

    private void launch(Path directory) throws IOException {
        String user = System.getProperty("user.name");
        Path driver = find("dummy-ups", DRIVER_PLACES).orElseThrow(() -> new IOException("dummy-ups is not installed"));
        Path upsd = find("upsd", UPSD_PLACES).orElseThrow(() -> new IOException("upsd is not installed"));
        // -F: stay in the foreground (so we own the process); -u: the user to run as (root here, else ourselves)
        processes.add(process(directory, driver.toString(), "-a", UPS, "-u", user, "-F"));
        processes.add(process(directory, upsd.toString(), "-u", user, "-F"));
    }

    private Process process(Path directory, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("NUT_CONFPATH", conf.toString());
        builder.environment().put("NUT_STATEPATH", directory.resolve("state").toString());
        builder.environment().put("NUT_ALTPIDPATH", directory.resolve("state").toString());
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops upsd, then the driver: SIGTERM, and SIGKILL for whatever does not listen. */
    @Override
    public void close() throws InterruptedException {
        List<Process> stopOrder = new ArrayList<>(processes);
        java.util.Collections.reverse(stopOrder);
        for (Process process : stopOrder) {
            Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroy);
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }
}
