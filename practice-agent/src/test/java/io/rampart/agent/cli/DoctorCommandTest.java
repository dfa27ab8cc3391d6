package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.Status;

import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.collectors.database.RealPostgres;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.RealUpsd;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * {@code rampart-agent doctor} against a real control plane stand-in (gRPC over mutual TLS), real restic, borg, psql,
 * NUT (dummy-ups + upsd) and PostgreSQL 15: the checklist a person reads, line by line, and its exit code.
 */
class DoctorCommandTest {

    private static final String RESTIC_PASSWORD = "correct horse battery staple";

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private EnrolledHome agent;
    private Path nas;

    @BeforeEach
    void enrolledAgent() throws Exception {
        agent = EnrolledHome.enrol(Files.createDirectories(directory.resolve("home")), controlPlane);
        nas = Files.createDirectories(directory.resolve("nas"));
        Files.writeString(nas.resolve("nightly.tar"), "backup");
    }

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void aHealthyAgentPrintsEveryLineOkAndExits0() throws Exception {
        assumeTrue(RealUpsd.installed() && RealPostgres.installed(), "needs NUT and PostgreSQL 15");
        Path password = BackupTools.passwordFile(directory, "restic.pass", RESTIC_PASSWORD);
        Path restic = directory.resolve("restic-repo");
        BackupTools.resticInit(restic, password);
        Path borg = Files.createDirectories(directory.resolve("borg-repo"));
        Path upsPassword = BackupTools.passwordFile(directory, "ups.pass", RealUpsd.PASSWORD);
        try (RealUpsd nut = RealUpsd.start(Files.createDirectories(directory.resolve("nut")), Map.of("ups.status", "OL", "battery.charge", "100"));
                RealPostgres postgres = RealPostgres.startPrimary()) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> !new NutClient("127.0.0.1", nut.port(), Duration.ofSeconds(2))
                    .listVariables(RealUpsd.UPS, java.util.Optional.empty()).isEmpty());
            agent.settings("check.nas-copy.path=" + nas, "check.cloud-copy.repository=" + restic, "check.cloud-copy.password-file=" + password,
                    "check.archive.repository=" + borg, "check.archive.password-file=" + password, "check.archive.tool=borg",
                    "check.ups.ups=" + RealUpsd.UPS, "check.ups.host=127.0.0.1", "check.ups.port=" + nut.port(),
                    "check.ups.username=" + RealUpsd.USER, "check.ups.password-file=" + upsPassword,
                    "check.db-sync.primary=" + postgres.primary().address(), "check.db-sync.secondary=" + postgres.primary().address(),
                    "check.db-dumps.dump-path=" + nas, "check.db-restore.scratch-database=" + postgres.primary().address())
                    .received(configuration(
                            EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                            EnrolledHome.check("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY),
                            EnrolledHome.check("archive", CheckKind.CHECK_KIND_BORG_REPOSITORY),
                            EnrolledHome.check("ups", CheckKind.CHECK_KIND_UPS),
                            EnrolledHome.check("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC),
                            EnrolledHome.check("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST).toBuilder()
                                    .setRestoreTest(RestoreTestSettings.newBuilder().setSourceCheckId("cloud-copy")).build(),
                            EnrolledHome.check("db-restore", CheckKind.CHECK_KIND_RESTORE_TEST).toBuilder()
                                    .setRestoreTest(RestoreTestSettings.newBuilder().setSourceCheckId("db-dumps")).build()));

            EnrolledHome.Run doctor = agent.run("doctor");

            assertThat(doctor.out()).as(doctor.out()).doesNotContain("PROBLEM");
            assertThat(doctor.exit()).isZero();
            String port = Integer.toString(agent.server.getPort());
            assertThat(doctor.out())
                    .contains("OK       enrolled: agent agent-1 of practice Praxis Dr. Example (practice-7), control plane " + agent.server)
                    .containsPattern("OK       certificate: valid for (29|30) more days, until \\d{4}-")
                    .contains("OK       control plane name (DNS): localhost is ")
                    .contains("OK       control plane connection (TCP): connected to localhost:" + port)
                    .contains("OK       control plane TLS: handshake with localhost:" + port + " using this agent's certificate")
                    .contains("OK       control plane answers: GetConfiguration at localhost:" + port
                            + ": configuration version 4 with 7 checks (the agent has it)")
                    .containsPattern("OK       clock: \\d{4}-\\S+ ")
                    .contains("OK       home: " + agent.home.directory() + " is writable by root")
                    .containsPattern("OK       disk: [0-9.]+ [KMGT]B free for ")
                    .contains("OK       path of nas-copy: " + nas + " is a folder root can read (1 entry)")
                    .contains("OK       repository of cloud-copy: " + restic + " is a folder root can read")
                    .contains("OK       password file of cloud-copy: the file set in check.cloud-copy.password-file is readable by root")
                    .contains("OK       upsd for ups: upsd at 127.0.0.1:" + nut.port() + " answers for UPS test (ups.status ")
                    .contains("OK       primary database of db-sync: " + postgres.primary().address() + " takes TCP connections")
                    .containsPattern("OK       tool restic: restic \\d+\\.\\d+\\.\\d+ .*\\(restic\\), for cloud-copy, restore-test")
                    .containsPattern("OK       tool borg: borg \\d+\\.\\d+\\.\\d+ \\(borg\\), for archive")
                    .containsPattern("OK       tool psql: psql \\(PostgreSQL\\) \\d+.*, for db-restore, db-sync")
                    .containsPattern("OK       tool pg_restore: pg_restore \\(PostgreSQL\\) \\d+.*, for db-restore")
                    .contains("OK       dump folder of db-dumps: " + nas + " is a folder root can read")
                    .contains("OK       scratch database server of db-restore: " + postgres.primary().address() + " takes TCP connections")
                    .contains("all ");
            // never a secret: neither password is read out
            assertThat(doctor.out() + doctor.err()).doesNotContain(RESTIC_PASSWORD).doesNotContain(RealUpsd.PASSWORD);
        }
    }

    @Test
    void aMissingToolAFileWhereAFolderBelongsAndAMissingFolderEachGetTheirLineAndExit1() throws Exception {
        Path password = BackupTools.passwordFile(directory, "restic.pass", RESTIC_PASSWORD);
        Path restic = directory.resolve("restic-repo");
        BackupTools.resticInit(restic, password);
        agent.settings("check.nas-copy.path=" + nas.resolve("nightly.tar"), "check.usb.path=" + directory.resolve("usb-not-mounted"),
                "check.cloud-copy.repository=" + restic, "check.cloud-copy.password-file=" + directory.resolve("gone.pass"),
                "check.cloud-copy.executable=/opt/nowhere/restic")
                .received(configuration(EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                        EnrolledHome.check("usb", CheckKind.CHECK_KIND_USB_ROTATION),
                        EnrolledHome.check("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY),
                        EnrolledHome.check("ups", CheckKind.CHECK_KIND_UPS)));

        EnrolledHome.Run doctor = agent.run("doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out())
                .contains("PROBLEM  path of nas-copy: " + nas.resolve("nightly.tar") + " is a file, not a folder (set in check.nas-copy.path)\n"
                        + "         fix: set check.nas-copy.path to the folder that holds the backups")
                .contains("PROBLEM  path of usb: " + directory.resolve("usb-not-mounted") + " does not exist (set in check.usb.path)\n"
                        + "         fix: is the drive or share connected and mounted? else correct check.usb.path")
                .contains("PROBLEM  tool restic: /opt/nowhere/restic is not installed (or not on the agent's PATH), needed for cloud-copy\n"
                        + "         fix: install it (e.g. `apt install restic`)")
                .contains("PROBLEM  upsd for ups: check.ups.ups is not set")
                .contains("PROBLEM  password file of cloud-copy: the file set in check.cloud-copy.password-file does not exist or is not a file")
                .contains("OK       control plane answers")
                .containsPattern("\n5 problems of \\d+\n");
    }

    @Test
    void anExpiredCertificateIsAProblemNamingWhenAndWhatToDo() {
        agent.received(configuration(EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER))).settingsQuietly("check.nas-copy.path=" + nas);

        EnrolledHome.Run doctor = agent.run(Clock.offset(Clock.systemUTC(), Duration.ofDays(32)), "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("PROBLEM  certificate: expired 2 days ago, at \\d{4}-\\S+: the control plane no longer accepts this agent\n"
                + "         fix: ask your IT provider for a new enrolment token and run `rampart-agent enroll` again");
    }

    @Test
    void aCertificateAboutToExpireThatWasNotRenewedIsAProblemWithItsDaysLeft() {
        agent.received(configuration(EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER))).settingsQuietly("check.nas-copy.path=" + nas);

        EnrolledHome.Run doctor = agent.run(Clock.offset(Clock.systemUTC(), Duration.ofDays(25).plusHours(1)), "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("PROBLEM  certificate: expires in 4 days, at \\d{4}-\\S+, and was not renewed "
                + "\\(the running agent renews it from \\d{4}-\\S+\\)\n         fix: make sure the agent service runs and reaches the control plane");
    }

    @Test
    void aClockBehindTheCertificatesIssueTimeIsAProblemOfTheCertificateAndTheClock() {
        agent.received(configuration(EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER))).settingsQuietly("check.nas-copy.path=" + nas);

        EnrolledHome.Run doctor = agent.run(Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)), "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("PROBLEM  certificate: not valid before \\S+, and this computer's clock says \\S+\n"
                + "         fix: this computer's clock is behind: enable time synchronisation")
                .contains("PROBLEM  clock: this computer's clock (");
    }

    @Test
    void aPortThatDoesNotSpeakTlsFailsTheTlsStepSayingSo() throws Exception {
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket socket = plain.accept()) {
                    socket.getInputStream().read(new byte[512]);
                    socket.getOutputStream()
                            .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // the test reads what the agent made of it
                }
            });
            answering.start();
            agent.home.writeIdentity(new EnrolledIdentity(URI.create("https://localhost:" + plain.getLocalPort()), FakeControlPlane.AGENT_ID,
                    FakeControlPlane.PRACTICE_ID, "Praxis Dr. Example"));

            EnrolledHome.Run doctor = agent.run("doctor");
            answering.join(10_000);

            assertThat(doctor.exit()).isEqualTo(1);
            assertThat(doctor.out()).contains("PROBLEM  control plane TLS: the TLS handshake with localhost:" + plain.getLocalPort()
                    + " failed: the server does not speak TLS on this port");
        }
    }

    @Test
    void aControlPlaneThatIsDownIsNamedAtTheTcpStepWithItsAddress() throws Exception {
        agent.received(configuration(EnrolledHome.check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER))).settingsQuietly("check.nas-copy.path=" + nas);
        controlPlane.close();

        EnrolledHome.Run doctor = agent.run("doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        int port = agent.server.getPort();
        assertThat(doctor.out()).contains("OK       control plane name (DNS): localhost is ")
                .contains("PROBLEM  control plane connection (TCP): no TCP connection to localhost:" + port + ": ")
                .contains("fix: is the control plane running at that address, and does a firewall between here and it let TCP port " + port + " through?")
                .doesNotContain("control plane TLS").contains("OK       path of nas-copy");
    }

    @Test
    void aNameThatDoesNotResolveIsNamedAtTheDnsStep() {
        agent.home.writeIdentity(new EnrolledIdentity(URI.create("https://rampart.invalid:9443"), FakeControlPlane.AGENT_ID,
                FakeControlPlane.PRACTICE_ID, "Praxis Dr. Example"));

        EnrolledHome.Run doctor = agent.run("doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("PROBLEM  control plane name (DNS): cannot resolve rampart.invalid (the server in "
                + agent.home.identityFile() + ")\n         fix: check that this computer's DNS works (e.g. `getent hosts rampart.invalid`)");
    }

    @Test
    void aServerThatIsNotThisAgentsControlPlaneFailsTheTlsStep() throws Exception {
        try (FakeControlPlane someoneElse = new FakeControlPlane()) {
            int port = someoneElse.startOnLocalhost();
            agent.home.writeIdentity(new EnrolledIdentity(URI.create("https://localhost:" + port), FakeControlPlane.AGENT_ID,
                    FakeControlPlane.PRACTICE_ID, "Praxis Dr. Example"));

            EnrolledHome.Run doctor = agent.run("doctor");

            assertThat(doctor.exit()).isEqualTo(1);
            assertThat(doctor.out()).contains("OK       control plane connection (TCP): connected to localhost:" + port)
                    .contains("PROBLEM  control plane TLS: the TLS handshake with localhost:" + port
                            + " failed: the server's certificate is not signed by the CA this agent trusts");
        }
    }

    @Test
    void aRevokedAgentIsToldAtTheCallStepToEnrolAgain() {
        controlPlane.configurationRefusal = Status.UNAUTHENTICATED.withDescription("agent agent-1 is revoked");

        EnrolledHome.Run doctor = agent.run("doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("OK       control plane TLS")
                .contains("PROBLEM  control plane answers: GetConfiguration at localhost:" + agent.server.getPort()
                        + " failed: UNAUTHENTICATED (agent agent-1 is revoked)\n"
                        + "         fix: the control plane does not accept this agent (revoked, or its certificate expired)")
                .contains("PROBLEM  configuration: none received from the control plane yet, so nothing is checked");
    }

    @Test
    void aClockFarFromTheControlPlanesIsAProblemWhenTheAnswerCarriesItsTime() {
        controlPlane.dateHeaderAhead = Duration.ofMinutes(10);

        EnrolledHome.Run doctor = agent.run("doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("PROBLEM  clock: this computer's clock \\(\\S+\\) is 10 min behind the control plane's \\(\\S+\\)\n"
                + "         fix: enable time synchronisation \\(e.g. `timedatectl set-ntp true`\\): backups' ages are measured with this clock");

        controlPlane.dateHeaderAhead = Duration.ZERO;
        assertThat(agent.run("doctor").out()).containsPattern("OK       clock: \\S+, within \\d+ s of the control plane's");
    }

    @Test
    void anAgentThatWasNeverEnrolledSaysHowToEnrol() throws Exception {
        Path empty = Files.createDirectories(directory.resolve("empty-home"));

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = new Main(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err, Map.of())
                .run("doctor", "--home", empty.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("PROBLEM  enrolled: no agent.properties in " + empty + "\n"
                + "         fix: run the install command from your IT provider, or `rampart-agent enroll --server URL --token TOKEN --ca-file FILE`");
    }

    private static AgentConfiguration configuration(CheckDefinition... checks) {
        return AgentConfiguration.newBuilder().setVersion(4).addAllChecks(java.util.List.of(checks)).build();
    }
}
