package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.config.ReportedJobs;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.outbox.OutboxReader;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;

/**
 * {@code rampart-agent report} run as root (a backup job's post-job script) into the home of an agent service that runs
 * as another user ({@code nobody} here): what it writes stays the service's, and a file the service cannot read never
 * stops the outbox. Needs root and {@code runuser} (util-linux); the service's view runs as {@code nobody} for real.
 */
class ReportAsRootTest {

    private static final Instant NOW = Instant.parse("2026-11-30T05:30:00Z");

    @TempDir
    Path directory;

    private AgentHome home;
    private UserPrincipal nobody;
    private GroupPrincipal nogroup;

    @BeforeEach
    void homeOwnedByTheServiceUser() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "runs as root only");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")), "needs runuser");
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        nobody = users.lookupPrincipalByName("nobody");
        nogroup = users.lookupPrincipalByGroupName(Files.readAllLines(Path.of("/etc/group")).stream()
                .filter(line -> line.split(":").length > 2 && line.split(":")[2].equals("65534")).findFirst().orElseThrow().split(":")[0]);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = AgentHome.at(directory.resolve("home"));
        home.writeIdentity(new EnrolledIdentity(URI.create("https://localhost:9000"), "agent-1", "practice-7", "Praxis Dr. Example"));
        // as the installer leaves it: the service user owns its home (chown -R)
        for (Path p : List.of(home.directory(), home.identityFile())) {
            Files.setOwner(p, nobody);
            Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(nogroup);
        }
        Files.setPosixFilePermissions(home.directory(), PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void everythingReportWritesAsRootBelongsToTheOwnerOfTheAgentHomeWhoCanReadIt() throws Exception {
        int exit = new Main(print(new ByteArrayOutputStream()), print(new ByteArrayOutputStream()), Map.of(), Clock.fixed(NOW, ZoneOffset.UTC))
                .run("report", "--check", "system-image", "--status", "ok", "--home", home.directory().toString());
        assertThat(exit).isZero();

        List<Path> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home.directory())) {
            files.filter(p -> !p.equals(home.directory())).forEach(written::add);
        }
        assertThat(written).contains(home.outboxDirectory(), home.directory().resolve(ReportedJobs.FILE),
                home.directory().resolve("." + ReportedJobs.FILE + ".lock"));
        assertThat(written).allSatisfy(p -> {
            assertThat(Files.getOwner(p)).as("owner of %s", p).isEqualTo(nobody);
            assertThat(Files.getPosixFilePermissions(p)).as("permissions of %s", p)
                    .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        });
        Path event;
        try (Stream<Path> files = Files.list(home.outboxDirectory())) {
            event = files.filter(p -> p.toString().endsWith(".event")).findFirst().orElseThrow();
        }
        assertThat(Files.getPosixFilePermissions(event)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // the service's own view, as the service's user
        assertThat(asNobody(OutboxReader.class.getName(), home.outboxDirectory().toString()))
                .containsExactly(Outbox.open(home.outboxDirectory()).peek(1).get(0).getEventId());
    }

    @Test
    void anOutboxFileTheServiceCannotReadIsSetAsideWithTheFixAndTheRestIsStillSent() throws Exception {
        Outbox outbox = Outbox.open(home.outboxDirectory());
        outbox.append(event("before", 100));
        outbox.append(event("roots", 200));
        outbox.append(event("after", 300));
        Path rootsFile;
        try (Stream<Path> files = Files.list(home.outboxDirectory())) {
            rootsFile = files.filter(p -> p.getFileName().toString().contains("-roots.")).findFirst().orElseThrow();
        }
        // what an older agent's `report` as root with umask 077 left: a root-owned rw------- file
        try (Stream<Path> files = Files.walk(home.outboxDirectory())) {
            for (Path p : files.toList()) {
                Files.setOwner(p, p.equals(rootsFile) ? Files.getOwner(directory) : nobody);
            }
        }
        Files.setPosixFilePermissions(rootsFile, PosixFilePermissions.fromString("rw-------"));

        List<String> seen = asNobody(OutboxReader.class.getName(), home.outboxDirectory().toString());

        assertThat(seen).startsWith("before", "after").hasSize(3);
        assertThat(seen.get(2)).startsWith("set aside: roots: the agent cannot read this outbox file (java.nio.file.AccessDeniedException: ")
                .endsWith("); if another user wrote it, give it to nobody (the owner of " + home.outboxDirectory()
                        + ") and run `rampart-agent set-aside retry`");

        // the IT person's fix, as root: put it back, which also gives it to the home's owner
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new Main(print(out), print(new ByteArrayOutputStream()), Map.of()).run("set-aside", "retry", "--home",
                home.directory().toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("put 1 event back into the outbox");
        assertThat(asNobody(OutboxReader.class.getName(), home.outboxDirectory().toString())).containsExactly("before", "roots", "after");
    }

    /** Runs {@code mainClass} in a JVM of its own as user nobody; its standard output, line by line. */
    private List<String> asNobody(String mainClass, String... args) throws Exception {
        // the test's class path partly lives where nobody may not read (/root/.m2): copy it somewhere it may
        Path classes = Files.createDirectories(directory.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                Path copy = classes.resolve((i++) + "-" + source.getFileName());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else if (Files.isDirectory(source)) {
                entries.add(entry);
            }
        }
        Files.setPosixFilePermissions(classes, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "nobody", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(java.io.File.pathSeparator, entries),
                mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit of %s as nobody", mainClass).isZero();
        return output.lines().toList();
    }

    private static AgentEvent event(String id, long second) {
        return AgentEvent.newBuilder().setEventId(id).setPracticeId("practice-7").setOccurredAt(Timestamp.newBuilder().setSeconds(second))
                .setHeartbeat(Heartbeat.getDefaultInstance()).build();
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

}
