package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * {@code rampart-agent check} and {@code doctor} run by an IT person as root, for an agent whose service runs as
 * another user ({@code nobody} here): they run as that user (setpriv), so a folder only root may read is reported as
 * the service would meet it, and the home holds no root-owned file afterwards, restic's cache included. Needs root;
 * the commands run in a JVM of their own, as they would from the shell.
 */
class ExplainAsRootTest {

    private static final String RESTIC_PASSWORD = "correct horse battery staple";

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private EnrolledHome agent;
    private UserPrincipal nobody;
    private Path rootsOnly;
    private Path classpath;

    @BeforeEach
    void homeOwnedByTheServiceUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runs as root only");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv")), "needs setpriv");
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        nobody = users.lookupPrincipalByName("nobody");
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName(Files.readAllLines(Path.of("/etc/group")).stream()
                .filter(line -> line.split(":").length > 2 && line.split(":")[2].equals("65534")).findFirst().orElseThrow().split(":")[0]);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        agent = EnrolledHome.enrol(Files.createDirectories(directory.resolve("home")), controlPlane);

        Path nas = Files.createDirectories(directory.resolve("nas"));
        Files.writeString(nas.resolve("nightly.tar"), "backup");
        rootsOnly = Files.createDirectories(directory.resolve("roots-only"));
        Files.writeString(rootsOnly.resolve("nightly.tar"), "backup");
        Files.setPosixFilePermissions(rootsOnly, PosixFilePermissions.fromString("rwx------"));
        Path password = BackupTools.passwordFile(directory, "restic.pass", RESTIC_PASSWORD);
        Path restic = directory.resolve("restic-repo");
        BackupTools.resticInit(restic, password);
        BackupTools.resticBackup(restic, password, BackupTools.sampleData(directory));
        agent.settings("check.nas-copy.path=" + nas, "check.server-copy.path=" + rootsOnly,
                "check.cloud-copy.repository=" + restic, "check.cloud-copy.password-file=" + password)
                .received(AgentConfiguration.newBuilder().setVersion(2).addChecks(folder("nas-copy")).addChecks(folder("server-copy"))
                        .addChecks(EnrolledHome.check("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY).toBuilder()
                                .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))))
                        .build());
        // as the installer leaves them: the service user owns its home, and may read the repository and its password
        for (Path root : List.of(agent.home.directory(), restic, password)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.toList()) {
                    Files.setOwner(p, nobody);
                    Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(nogroup);
                }
            }
        }
        Files.setPosixFilePermissions(agent.home.directory(), PosixFilePermissions.fromString("rwx------"));
        classpath = readableClasspath();
    }

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void checkAsRootRunsAsTheServiceUserAndLeavesNoRootOwnedFile() throws Exception {
        Output check = asRoot("check");

        assertThat(check.out()).contains("PASS     nas-copy (backup folder)")
                .contains("PASS     cloud-copy (restic repository)")
                .contains("UNKNOWN  server-copy (backup folder): the agent could not check it")
                .contains("3 checks: 2 passed, 1 could not be checked; exit code 2");
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.out() + check.err()).doesNotContain(RESTIC_PASSWORD);
        assertThat(Files.exists(agent.home.directory().resolve("cache"))).as("restic's cache in the home").isTrue();
        assertEverythingInTheHomeIsNobodys();
    }

    @Test
    void doctorAsRootAnswersForTheServiceUserAndLeavesNoRootOwnedFile() throws Exception {
        Output doctor = asRoot("doctor");

        assertThat(doctor.out()).contains("rampart-agent doctor: home " + agent.home.directory() + ", looked at as user nobody")
                .contains("OK       control plane answers")
                .contains("OK       home: " + agent.home.directory() + " is writable by nobody (owner nobody)")
                .contains("OK       path of nas-copy: ")
                .contains("PROBLEM  path of server-copy: " + rootsOnly + " cannot be read by nobody (AccessDeniedException)\n"
                        + "         fix: give nobody read access, e.g. `setfacl -R -m u:nobody:rX " + rootsOnly + "`")
                .contains("OK       password file of cloud-copy: the file set in check.cloud-copy.password-file is readable by nobody");
        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out() + doctor.err()).doesNotContain(RESTIC_PASSWORD);
        assertEverythingInTheHomeIsNobodys();
    }

    private void assertEverythingInTheHomeIsNobodys() throws IOException {
        try (Stream<Path> paths = Files.walk(agent.home.directory())) {
            assertThat(paths.toList()).allSatisfy(p -> assertThat(Files.getOwner(p)).as("owner of %s", p).isEqualTo(nobody));
        }
    }

    private record Output(int exit, String out, String err) {
    }

    /** Runs {@code rampart-agent <command> --home HOME} as root in a JVM of its own. */
    private Output asRoot(String command) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath.toString()
                + "/*:" + classes(), Main.class.getName(), command, "--home", agent.home.directory().toString()).start();
        process.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Output(process.exitValue(), out, err.get());
    }

    /** The class path's jars copied where nobody may read them (/root/.m2 is root's only). */
    private Path readableClasspath() throws IOException {
        Path jars = Files.createDirectories(directory.resolve("classpath"));
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                Path copy = jars.resolve((i++) + "-" + source.getFileName());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jars;
    }

    private static String classes() {
        List<String> directories = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                directories.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, directories);
    }

    private static CheckDefinition folder(String id) {
        return EnrolledHome.check(id, CheckKind.CHECK_KIND_BACKUP_FOLDER).toBuilder()
                .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))).build();
    }
}
