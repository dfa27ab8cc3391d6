package io.rampart.controlplane.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;
import io.rampart.protocol.identity.Pem;

/**
 * The real Linux installer, fetched from the packaged control plane with curl and piped into sh
 * as an administrator would, installing under a temporary prefix (no system user, no systemctl):
 * it downloads and verifies the jar, lays out the files, enrols with a real token, and undoes it all.
 */
class LinuxInstallerIT {

    @TempDir
    static Path temp;

    static ControlPlaneProcess controlPlane;
    static Path agentJar;
    static UUID practiceId;
    static ProcessDatabase database;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startControlPlane() throws Exception {
        agentJar = agentJar();
        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.free();
        controlPlane = new ControlPlaneProcess(Files.createDirectories(temp.resolve("control-plane")), ports, List.of(
                "-Drampart.agents.agent-jar=" + agentJar,
                "-Drampart.agents.public-http-url=http://localhost:" + ports.http(),
                "-Drampart.agents.public-grpc-url=https://localhost:" + ports.grpc())).start();
        database = new ProcessDatabase(controlPlane.jdbcUrl());
        practiceId = database.seedPractice("Installer Surgery");
    }

    @AfterAll
    static void stopControlPlane() throws Exception {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void installsEnrolsRunsTwiceAndUninstallsUnderAPrefix() throws Exception {
        Path prefix = temp.resolve("root");
        String token = database.issueToken(practiceId);

        Run first = install("--token", token, "--prefix", prefix.toString(), "--no-systemd");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("SHA-256", "verified", "enrolled agent", "next: say where the backups are");

        Path jar = prefix.resolve("opt/rampart-agent/rampart-agent.jar");
        assertThat(jar).hasSameBinaryContentAs(agentJar);
        assertThat(prefix.resolve("opt/rampart-agent/rampart-agent.jar.sha256")).content().startsWith(sha256(agentJar) + "  ");
        Path wrapper = prefix.resolve("usr/local/bin/rampart-agent");
        assertThat(Files.isExecutable(wrapper)).isTrue();
        assertThat(wrapper).content().contains("-Xmx32m", "-XX:+UseSerialGC", jar.toString(), "RAMPART_AGENT_HOME");

        Path state = prefix.resolve("var/lib/rampart-agent");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        Path identity = state.resolve("agent.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("agent.key")))).isEqualTo("rw-------");
        assertThat(Pem.readCertificates(state.resolve("ca.crt"))).isEqualTo(controlPlane.caCertificates());
        String agentId = properties(identity).getProperty("agent.id");
        assertThat(agentId).isNotBlank();
        assertThat(properties(identity).getProperty("practice.id")).isEqualTo(practiceId.toString());
        assertThat(database.column("select id from agent where practice_id = ?", practiceId)).contains(agentId);

        Path checks = prefix.resolve("etc/rampart-agent/checks.properties");
        assertThat(checks).content().contains("# check.nas-copy.path=");
        assertThat(state.resolve("checks.properties")).isSymbolicLink();
        assertThat(Files.readSymbolicLink(state.resolve("checks.properties"))).isEqualTo(checks);

        Path unit = prefix.resolve("etc/systemd/system/rampart-agent.service");
        assertThat(unit).content().contains("User=rampart-agent", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=" + state, "ExecStart=" + wrapper + " run", "ReadOnlyPaths=");

        Run status = run(List.of(wrapper.toString(), "status"));
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("agent id:         " + agentId, "certificate:      valid until ");

        // a binding the administrator made survives the second run; the token is not used again
        Files.writeString(checks, "check.nas-copy.path=/mnt/nas\n");
        Run second = install("--token", token, "--prefix", prefix.toString(), "--no-systemd");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("already enrolled as agent " + agentId, "kept your " + checks);
        assertThat(checks).hasContent("check.nas-copy.path=/mnt/nas");
        assertThat(properties(identity).getProperty("agent.id")).isEqualTo(agentId);

        Run keep = install("--uninstall", "--prefix", prefix.toString());
        assertThat(keep.exitCode()).as(keep.output()).isZero();
        assertThat(jar).doesNotExist();
        assertThat(wrapper).doesNotExist();
        assertThat(unit).doesNotExist();
        assertThat(identity).exists();
        assertThat(checks).exists();

        Run purge = install("--uninstall", "--purge", "--prefix", prefix.toString());
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        try (Stream<Path> left = Files.walk(prefix)) {
            assertThat(left.filter(path -> !Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS))).isEmpty();
        }
        assertThat(state).doesNotExist();
        assertThat(prefix.resolve("etc/rampart-agent")).doesNotExist();
        assertThat(prefix.resolve("opt/rampart-agent")).doesNotExist();
    }

    @Test
    void aWrongTokenFailsWithTheAgentsMessageAndEnrolsNothing() throws Exception {
        Path prefix = temp.resolve("wrong-token");

        Run run = install("--token", "rpe_not-a-real-token", "--prefix", prefix.toString(), "--no-systemd");

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("the enrolment token is unknown, expired or already used", "run me again with a new token");
        assertThat(prefix.resolve("var/lib/rampart-agent/agent.properties")).doesNotExist();
    }

    @Test
    void withoutATokenOrJavaItSaysWhatIsMissing() throws Exception {
        Run noToken = install("--prefix", temp.resolve("no-token").toString(), "--no-systemd");
        assertThat(noToken.exitCode()).isEqualTo(1);
        assertThat(noToken.output()).contains("no --token given");

        // a PATH with the tools the script needs but no java
        Path bin = Files.createDirectories(temp.resolve("bin-without-java"));
        for (String tool : List.of("sh", "curl", "sed", "head", "cut", "id", "mktemp", "rm", "dirname", "pwd")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path found = Path.of(dir, tool);
                if (Files.isExecutable(found) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), found);
                }
            }
        }
        Run noJava = run(List.of("/bin/sh", "-c", "curl -fsSL \"$0/install.sh\" | sh -s -- --token x --prefix \"$1\"",
                controlPlane.httpUrl(), temp.resolve("no-java").toString()), bin.toString());
        assertThat(noJava.exitCode()).isEqualTo(1);
        assertThat(noJava.output()).contains("install Java 17 (Debian: apt-get install openjdk-17-jre-headless)");
    }

    @Test
    void theInstallersCarryThisControlPlanesAddresses() throws Exception {
        HttpResponse<String> ps1 = get("/install.ps1");
        assertThat(ps1.statusCode()).isEqualTo(200);
        assertThat(ps1.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(ps1.body()).contains("[string]$Server = '" + controlPlane.grpcUrl() + "'",
                "[string]$Download = '" + controlPlane.httpUrl() + "'", "-Uninstall").doesNotContain("@RAMPART_");

        HttpResponse<String> sh = get("/install.sh");
        assertThat(sh.statusCode()).isEqualTo(200);
        assertThat(sh.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/x-shellscript"));
        assertThat(sh.body()).startsWith("#!/bin/sh").contains("SERVER='" + controlPlane.grpcUrl() + "'").doesNotContain("@RAMPART_");

        // both carry the agents' CA, the only one an agent trusts, and it is served on its own too
        String caPem = Pem.certificates(controlPlane.caCertificates()).strip();
        assertThat(sh.body()).contains(caPem);
        assertThat(ps1.body()).contains(caPem);
        assertThat(get("/agent-ca.crt").body().strip()).isEqualTo(caPem);

        // not part of the REST API, so not in its document (the tenant-isolation matrix covers every documented endpoint)
        HttpResponse<String> openApi = get("/q/openapi?format=json");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).doesNotContain("install.sh", "install.ps1", "/downloads/", "agent-ca.crt");
    }

    @Test
    void theChecksumServedIsTheJarsAndTheJarIsServedWhole() throws Exception {
        HttpResponse<String> checksum = get("/downloads/rampart-agent.jar.sha256");
        assertThat(checksum.statusCode()).isEqualTo(200);
        assertThat(checksum.body()).isEqualTo(sha256(agentJar) + "  rampart-agent.jar\n");

        HttpResponse<byte[]> jar = HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.httpUrl() + "/downloads/rampart-agent.jar")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(jar.statusCode()).isEqualTo(200);
        assertThat(jar.body()).isEqualTo(Files.readAllBytes(agentJar));
    }

    record Run(int exitCode, String output) {
    }

    /** {@code curl -fsSL http://CP/install.sh | sh -s -- ARGS}, as the one-liner has it (without sudo). */
    private static Run install(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "curl -fsSL \"$0/install.sh\" | sh -s -- \"$@\"", controlPlane.httpUrl()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static Run run(List<String> command) throws Exception {
        return run(command, null);
    }

    private static Run run(List<String> command, String path) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().remove("RAMPART_AGENT_HOME");
        if (path != null) {
            builder.environment().put("PATH", path);
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after 180 s: " + command);
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.httpUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The jar the control plane serves: -Drampart.it.agent-jar, else the one beside the build. */
    private static Path agentJar() {
        Path jar = Path.of(System.getProperty("rampart.it.agent-jar", "../practice-agent/target/rampart-agent.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no agent jar at " + jar + ": build practice-agent first, or set -Drampart.it.agent-jar");
        }
        return jar;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

}
