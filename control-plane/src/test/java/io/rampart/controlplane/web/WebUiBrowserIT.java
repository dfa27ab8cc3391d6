package io.rampart.controlplane.web;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.DemoInChromium;

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
        DemoInChromium.run(temp, HTTP_PORT, "e2e/web-ui.mjs");
    }
}
