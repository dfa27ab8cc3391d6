package io.rampart.controlplane.web;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.DemoInChromium;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * A provider's first day from nothing, as people live it, in a real Chromium against the packaged control plane with
 * the demo (embedded PostgreSQL and Kafka, real Keycloak, the demo mailbox as SMTP server for Rampart and Keycloak):
 * the platform operator oscar creates a provider and invites its first admin; the admin sets a password through
 * Keycloak's own email, signs in to the empty provider, creates a group, starts its checks from a template, adds a
 * practice, invites its practice manager and enrols an agent by running the install one-liner the practice's page
 * shows (without sudo, under a temporary prefix: the installer's test mode); the practice manager sets a password the
 * same way, signs in and sees only that practice; as the agent runs and reports, the practice's rules leave
 * "no data yet" for verdicts in words. Driven by web-ui/e2e/onboarding.mjs; screenshots land in target/e2e.
 */
class OnboardingBrowserIT {

    /** A redirect address the demo realm allows for rampart-web, apart from WebUiBrowserIT's 18088 and PeopleBrowserIT's 18089. */
    private static final int HTTP_PORT = 18090;

    @TempDir
    Path temp;

    @Test
    void aNewProvidersAdminOnboardsAPracticeWhoseManagerSeesOnlyItAndItsRulesLeaveNoDataYet() throws Exception {
        Path agentJar = Path.of(System.getProperty("rampart.it.agent-jar", "../practice-agent/target/rampart-agent.jar")).toAbsolutePath();
        DemoInChromium.run(temp, HTTP_PORT, "e2e/onboarding.mjs",
                "-Drampart.embedded.demo.smtp-port=" + ProcessDatabase.freePort(),
                // the jar install.sh downloads, whatever folder the control plane runs in
                "-Drampart.agents.agent-jar=" + agentJar);
    }
}
