package io.rampart.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a browser script of web-ui/e2e (playwright-core driving Debian's chromium) against the packaged control plane
 * started as `./run-demo` starts it (embedded servers, real Keycloak, demo practices and agents). The script prints a
 * line per expectation ("ok ..." or "FAIL ...") and "all passed" at the end; screenshots land in target/e2e.
 */
public final class DemoInChromium {

    private DemoInChromium() {
    }

    /**
     * @param httpPort a port the demo realm allows as rampart-web's redirect address (18088, 18089, 18090)
     * @param script the script under web-ui, e.g. "e2e/people.mjs"
     * @param properties further system properties for the control plane, e.g. "-Drampart.embedded.demo.smtp-port=2525"
     * @throws AssertionError when the script fails an expectation or does not finish within 5 minutes
     */
    public static void run(Path temp, int httpPort, String script, String... properties) throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertThat(chromium).as("browser tests need Debian's chromium (.ci/run installs it)").isExecutable();
        Path webUi = Path.of("../web-ui").toAbsolutePath().normalize();
        assertThat(webUi.resolve("node_modules/playwright-core")).as("build web-ui first (npm ci)").isDirectory();
        Path agentJar = Path.of(System.getProperty("rampart.it.agent-jar", "../practice-agent/target/rampart-agent.jar")).toAbsolutePath();

        List<String> arguments = new ArrayList<>(List.of(
                "-Drampart.embedded.keycloak.enabled=true",
                "-Drampart.embedded.keycloak.port=" + ProcessDatabase.freePort(),
                "-Dquarkus.oidc.tenant-enabled=true",
                "-Drampart.embedded.demo.enabled=true",
                "-Drampart.embedded.demo.agent-jar=" + agentJar));
        arguments.addAll(List.of(properties));
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(temp, ControlPlaneProcess.Ports.withHttp(httpPort), arguments).start()) {
            Path screenshots = Path.of("target/e2e").toAbsolutePath();
            Path log = temp.resolve("browser.log");
            Process browser = new ProcessBuilder("node", script, controlPlane.httpUrl(), screenshots.toString())
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
