package io.rampart.controlplane.web;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.DemoInChromium;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * What a person sees: the packaged control plane runs as `./run-demo` runs it (embedded servers,
 * real Keycloak, demo practices and agents), and a real Chromium signs in as four demo users
 * through Keycloak's login page (authorization code + PKCE) and does their jobs, driven by
 * web-ui/e2e/web-ui.mjs. axe-core checks every page and dialog it visits against WCAG 2.1 AA
 * (web-ui/e2e/axe.mjs). Screenshots (and the downloaded reports) land in target/e2e.
 */
class WebUiBrowserIT {

    /** The port the demo realm allows as the browser test's redirect address (besides 8080). */
    private static final int HTTP_PORT = 18088;

    @TempDir
    Path temp;

    @Test
    void peopleSignInThroughKeycloakAndSeeExactlyTheirPractices() throws Exception {
        // the demo mailbox on a free port: the default 12525 may be held by a demo running on the same machine
        DemoInChromium.run(temp, HTTP_PORT, "e2e/web-ui.mjs", "-Drampart.embedded.demo.smtp-port=" + ProcessDatabase.freePort());
    }
}
