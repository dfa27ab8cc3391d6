package io.rampart.controlplane.web;

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
 * What a person sees: the packaged control plane runs as `./run-demo` runs it (embedded servers,
 * real Keycloak, demo practices and agents), and a real Chromium signs in as four demo users
 * through Keycloak's login page (authorization code + PKCE) and does their jobs, driven by
 * web-ui/e2e/web-ui.mjs. Screenshots (and the downloaded reports) land in target/e2e.
 */
class WebUiBrowserIT {

    /** The port the demo realm allows as the browser test's redirect address (besides 8080). */
    private static final int HTTP_PORT = 18088;

    @TempDir
    Path temp;

    @Test
    void peopleSignInThroughKeycloakAndSeeExactlyTheirPractices() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertThat(chromium).as("browser tests need Debian's chromium (.ci/run installs it)").isExecutable();
        Path webUi = Path.of("../web-ui").toAbsolutePath().normalize();
        assertThat(webUi.resolve("node_modules/playwright-core")).as("build web-ui first (npm ci)").isDirectory();
        Path agentJar = Path.of(System.getProperty("rampart.it.agent-jar", "../practice-agent/target/rampart-agent.jar")).toAbsolutePath();

        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.withHttp(HTTP_PORT);
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(temp, ports, List.of(
                "-Drampart.embedded.keycloak.enabled=true",
                "-Drampart.embedded.keycloak.port=" + ProcessDatabase.freePort(),
                "-Dquarkus.oidc.tenant-enabled=true",
                "-Drampart.embedded.demo.enabled=true",
                "-Drampart.embedded.demo.agent-jar=" + agentJar)).start()) {
            Path screenshots = Path.of("target/e2e").toAbsolutePath();
            Path log = temp.resolve("browser.log");
            Process browser = new ProcessBuilder("node", "e2e/web-ui.mjs", controlPlane.httpUrl(), screenshots.toString())
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
