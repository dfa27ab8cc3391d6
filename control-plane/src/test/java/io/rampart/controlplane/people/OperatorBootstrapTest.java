package io.rampart.controlplane.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.testing.RealServers;

/**
 * A fresh installation's first platform operator comes from configuration: created in the real Keycloak at start with
 * the role platform-operator and no tenancy, and sent Keycloak's set-password email; a later start finds them and
 * changes nothing (no second email, no other role).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(OperatorBootstrapTest.FirstOperator.class)
class OperatorBootstrapTest {

    static final String EMAIL = "ophelia@operators.example";

    public static class FirstOperator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rampart.operator.bootstrap-username", "ophelia", "rampart.operator.bootstrap-email", EMAIL);
        }
    }

    @Inject
    PeopleDirectory directory;
    @Inject
    RampartConfig config;

    @Test
    void theConfiguredOperatorIsCreatedOnceWithTheOperatorRoleAndGetsKeycloaksSetPasswordEmail() {
        Person ophelia = directory.findByUsername("ophelia").orElseThrow();
        assertThat(ophelia.role()).isEqualTo(Role.PLATFORM_OPERATOR);
        assertThat(ophelia.providerId()).isNull();
        assertThat(ophelia.email()).isEqualTo(EMAIL);
        assertThat(ophelia.invitationPending()).isTrue();
        assertThat(KeycloakEmails.actionLink(KeycloakEmails.awaitFirst(EMAIL))).contains("action-token");

        // the next start (a new bean, as after a restart) finds her and leaves her as she is
        OperatorBootstrap nextStart = new OperatorBootstrap();
        nextStart.config = config;
        nextStart.directory = directory;
        assertThat(nextStart.ensure()).isTrue();
        assertThat(KeycloakEmails.to(EMAIL)).hasSize(1);
        assertThat(directory.findByUsername("ophelia").orElseThrow()).isEqualTo(ophelia);
    }
}
