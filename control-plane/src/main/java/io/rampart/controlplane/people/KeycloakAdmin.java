package io.rampart.controlplane.people;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;

import io.rampart.controlplane.RampartConfig;

/**
 * Keycloak's admin client (org.keycloak:keycloak-admin-client on the Quarkus REST client), signed in as the service
 * account of {@code rampart.people.client-id} (client credentials grant; the client keeps and renews its token).
 * Built on first use, so a control plane whose Keycloak is away still starts.
 */
@ApplicationScoped
public class KeycloakAdmin {

    @Inject
    RampartConfig config;
    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    private Keycloak keycloak;

    /**
     * The people realm's admin resource.
     *
     * @throws PeopleDirectoryUnavailable when no client secret is configured
     */
    public synchronized RealmResource realm() {
        if (keycloak == null) {
            String secret = config.people().clientSecret().filter(s -> !s.isBlank())
                    .orElseThrow(() -> new PeopleDirectoryUnavailable("People cannot be managed from Rampart yet: the installation has no"
                            + " secret for Keycloak's client " + config.people().clientId() + " (set RAMPART_PEOPLE_CLIENT_SECRET)"));
            keycloak = KeycloakBuilder.builder().serverUrl(serverUrl()).realm(config.people().realm())
                    .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(config.people().clientId()).clientSecret(secret).build();
        }
        return keycloak.realm(config.people().realm());
    }

    /** Keycloak's base address: configured, else the OIDC issuer without its {@code /realms/<realm>} path. */
    public String serverUrl() {
        return config.people().serverUrl().orElseGet(() -> baseOf(issuer));
    }

    static String baseOf(String issuer) {
        int realms = issuer.indexOf("/realms/");
        return realms < 0 ? issuer : issuer.substring(0, realms);
    }

    @PreDestroy
    synchronized void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
