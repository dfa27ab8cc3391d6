package io.rampart.controlplane.people;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.DemoInChromium;
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
        DemoInChromium.run(temp, HTTP_PORT, "e2e/people.mjs", "-Drampart.embedded.demo.smtp-port=" + ProcessDatabase.freePort());
    }
}
