package io.rampart.controlplane.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * An invitation end to end, as people live it: the packaged control plane runs the demo (embedded servers, real
 * Keycloak, the demo mailbox as SMTP server for Rampart and for Keycloak); in a real Chromium the provider admin alice
 * invites a practice manager for Hilltop Medical Centre on the People page; Keycloak's own set-password email arrives
 * in the demo mailbox; the invited person follows its link, sets a password on Keycloak's page, signs in to Rampart and
 * sees only that practice. The platform operator oscar signs in and sees only the Providers page. Driven by
 * web-ui/e2e/people.mjs; screenshots land in target/e2e.
 */
class PeopleBrowserIT {

    /** A redirect address the demo realm allows for rampart-web, apart from WebUiBrowserIT's 18088. */
    private static final int HTTP_PORT = 18089;

    @TempDir
    Path temp;

    @Test
    void anInvitedPracticeManagerSetsAPasswordThroughKeycloakSignsInAndSeesOnlyTheirPractice() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertThat(chromium).as("browser tests need Debian's chromium").isExecutable();
        Path webUi = Path.of("../web-ui").toAbsolutePath().normalize();
        assertThat(webUi.resolve("node_modules/playwright-core")).as("build web-ui first (npm ci)").isDirectory();
        Path agentJar = Path.of(System.getProperty("rampart.it.agent-jar", "../practice-agent/target/rampart-agent.jar")).toAbsolutePath();

        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.withHttp(HTTP_PORT);
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(temp, ports, List.of(
                "-Drampart.embedded.keycloak.enabled=true",
                "-Drampart.embedded.keycloak.port=" + ProcessDatabase.freePort(),
                "-Dquarkus.oidc.tenant-enabled=true",
                "-Drampart.embedded.demo.enabled=true",
                "-Drampart.embedded.demo.smtp-port=" + ProcessDatabase.freePort(),
                "-Drampart.embedded.demo.agent-jar=" + agentJar)).start()) {
            Path screenshots = Path.of("target/e2e").toAbsolutePath();
            Path log = temp.resolve("browser.log");
            Process browser = new ProcessBuilder("node", "e2e/people.mjs", controlPlane.httpUrl(), screenshots.toString())
                    .directory(webUi.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = browser.waitFor(5, TimeUnit.MINUTES);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(finished).as("the browser test finished in time").isTrue();
            assertThat(browser.exitValue()).as(output).isZero();
            assertThat(output).contains("all passed");
            assertThat(output.lines()).as(output).noneMatch(line -> line.startsWith("FAIL"));
        }
    }
}
