package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.FakeControlPlane;

class MainTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeControlPlane controlPlane = new FakeControlPlane();

    @AfterEach
    void stopControlPlane() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void unknownCommandPrintsUsageAndExits64() {
        assertThat(run("backup-everything")).isEqualTo(64);
        assertThat(err()).contains("unknown command: backup-everything").contains("usage: rampart-agent");
    }

    @Test
    void unknownOptionPrintsUsageAndExits64() {
        assertThat(run("status", "--verbose", "yes")).isEqualTo(64);
        assertThat(err()).contains("unknown option for status: --verbose");
    }

    @Test
    void checkAndDoctorAreInTheUsageAndAWrongCommandLineOfThemExits64() {
        assertThat(run("check", "--only")).isEqualTo(64);
        assertThat(err()).contains("--only needs a value")
                .contains("check [--only CHECK_ID] [--json] [--report] [--home DIR]").contains("doctor [--home DIR]")
                .contains("Exit 0 all passed, 1 a warning or a check not run now, 2 a failure or UNKNOWN,");
        assertThat(run("doctor", "--json")).isEqualTo(64);
        assertThat(err()).contains("unknown option for doctor: --json");
    }

    @Test
    void enrolWithoutATokenPrintsUsageAndExits64() {
        assertThat(run("enroll", "--server", "https://localhost:9000", "--ca-file", "ca.crt")).isEqualTo(64);
        assertThat(err()).contains("enroll needs --token");
    }

    @Test
    void enrolWithAPlainTextAddressOrAFileThatIsNoCertificateExits64SayingWhy() throws Exception {
        Path ca = controlPlane.pki.writeCa(home.resolve("ca.crt"));
        Path notACertificate = Files.writeString(home.resolve("notes.txt"), "hello");

        assertThat(run("enroll", "--server", "http://localhost:9000", "--token", "t", "--ca-file", ca.toString())).isEqualTo(64);
        assertThat(err()).contains("--server must look like https://host:port");
        assertThat(run("enroll", "--server", "https://localhost:9000", "--token", "t", "--ca-file", notACertificate.toString()))
                .isEqualTo(64);
        assertThat(err()).contains("is not the control plane's CA certificate");
    }

    @Test
    void statusOfAnUnenrolledAgentExits1SayingSo() {
        assertThat(run("status", "--home", home.toString())).isEqualTo(1);
        assertThat(err()).contains("not enrolled: run `rampart-agent enroll ...` first");
    }

    @Test
    void statusUsesTheHomeFromTheEnvironment() {
        int exit = new Main(print(out), print(err), Map.of("RAMPART_AGENT_HOME", home.toString())).run("status");

        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains(home.toString());
    }

    @Test
    void refusedTokenExits2WithAClearMessage() throws Exception {
        int port = controlPlane.startOnLocalhost();

        assertThat(run("enroll", "--server", "https://localhost:" + port, "--token", "expired", "--ca-file", caFile(), "--home",
                home.toString())).isEqualTo(2);
        assertThat(err().strip()).isEqualTo(
                "rampart-agent: the enrolment token is unknown, expired or already used: ask your IT provider for a new one");
    }

    @Test
    void enrolThenStatusShowsTheIdentityAndHowLongItsCertificateLasts() throws Exception {
        int port = controlPlane.startOnLocalhost();

        assertThat(run("enroll", "--server", "https://localhost:" + port, "--token", FakeControlPlane.TOKEN, "--ca-file", caFile(),
                "--home", home.toString())).isEqualTo(0);
        assertThat(run("status", "--home", home.toString())).isEqualTo(0);

        assertThat(out()).contains(FakeControlPlane.AGENT_ID).contains(FakeControlPlane.PRACTICE_ID)
                .contains("https://localhost:" + port).contains("outbox depth:     0").contains("last delivery:    never")
                .containsPattern("certificate:      valid until \\d{4}-\\d{2}-\\d{2}T");
    }

    private String caFile() throws Exception {
        return controlPlane.pki.writeCa(home.resolve("ca.crt")).toString();
    }

    private int run(String... args) {
        return new Main(print(out), print(err), Map.of()).run(args);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
