package io.rampart.controlplane.people;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.RampartConfig;

/**
 * Where Keycloak sends its own emails (the set-password links of invitations): in embedded mode and the tests, the
 * same SMTP server as Rampart's emails (rampart.mail.*), so they reach the demo mailbox (/demo/mail) or the tests'
 * GreenMail. Changing a realm's SMTP settings needs realm administration, which the people service account does not
 * have: this uses the master realm's admin, whose password only embedded mode knows (rampart.people.keycloak-admin-password).
 * In production Keycloak's administrator sets the realm's email settings, and this does nothing.
 */
@ApplicationScoped
public class RealmMail {

    private static final Logger LOG = Logger.getLogger(RealmMail.class);

    @Inject
    RampartConfig config;
    @Inject
    KeycloakAdmin admin;

    private final AtomicBoolean done = new AtomicBoolean();

    void atStart(@Observes StartupEvent started) {
        configure();
    }

    /** Keycloak may have been away at start: try again until it worked once. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        configure();
    }

    /** Points the realm's SMTP settings at rampart.mail.*; true once done (or when there is nothing to do). */
    public boolean configure() {
        if (done.get() || config.people().keycloakAdminPassword().isEmpty()) {
            return true;
        }
        try (Keycloak master = KeycloakBuilder.builder().serverUrl(admin.serverUrl()).realm("master").clientId("admin-cli")
                .grantType(OAuth2Constants.PASSWORD).username("admin").password(config.people().keycloakAdminPassword().get()).build()) {
            RealmResource realm = master.realm(config.people().realm());
            RealmRepresentation representation = realm.toRepresentation();
            representation.setSmtpServer(smtpServer(config.mail()));
            realm.update(representation);
            done.set(true);
            LOG.infof("Keycloak's realm %s sends its emails through %s:%d, as Rampart does", config.people().realm(), config.mail().host(),
                    config.mail().port());
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Could not point Keycloak's realm %s at Rampart's SMTP server yet (%s); trying again in a minute",
                    config.people().realm(), e.getMessage());
            return false;
        }
    }

    /** The realm's smtpServer settings for Rampart's mail settings (Keycloak wants every value as a string). */
    static Map<String, String> smtpServer(RampartConfig.Mail mail) {
        Map<String, String> smtp = new HashMap<>();
        smtp.put("host", mail.host());
        smtp.put("port", String.valueOf(mail.port()));
        try {
            InternetAddress from = new InternetAddress(mail.from());
            smtp.put("from", from.getAddress());
            if (from.getPersonal() != null) {
                smtp.put("fromDisplayName", from.getPersonal());
            }
        } catch (AddressException e) {
            smtp.put("from", mail.from());
        }
        smtp.put("starttls", String.valueOf(mail.startTls()));
        smtp.put("ssl", "false");
        smtp.put("auth", String.valueOf(mail.username().isPresent()));
        mail.username().ifPresent(user -> smtp.put("user", user));
        mail.password().ifPresent(password -> smtp.put("password", password));
        return smtp;
    }
}
