package io.rampart.controlplane.people;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.shared.Role;

/**
 * The first platform operator of a fresh installation, from configuration (rampart.operator.bootstrap-username and
 * -email): created in Keycloak at start when nobody has that username, with the role platform-operator and no tenancy.
 * Their password: a temporary one (rampart.operator.bootstrap-password) Keycloak makes them change at the first
 * sign-in, or else Keycloak's set-password email. An existing user of that name is never changed, so this is safe on
 * every start and every replica. When Keycloak is away at start it tries again every minute.
 */
@ApplicationScoped
public class OperatorBootstrap {

    private static final Logger LOG = Logger.getLogger(OperatorBootstrap.class);

    @Inject
    RampartConfig config;
    @Inject
    PeopleDirectory directory;

    private final AtomicBoolean done = new AtomicBoolean();

    void atStart(@Observes StartupEvent started) {
        ensure();
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        ensure();
    }

    /** Creates the configured operator unless they exist; true when there is nothing (more) to do. */
    public boolean ensure() {
        RampartConfig.Operator operator = config.operator();
        if (done.get() || operator.bootstrapUsername().filter(u -> !u.isBlank()).isEmpty()) {
            return true;
        }
        String username = operator.bootstrapUsername().get().strip().toLowerCase();
        if (operator.bootstrapEmail().filter(e -> !e.isBlank()).isEmpty()) {
            LOG.errorf("rampart.operator.bootstrap-username is %s but rampart.operator.bootstrap-email is not set: no operator created", username);
            done.set(true);
            return true;
        }
        try {
            if (directory.findByUsername(username).isPresent()) {
                LOG.infof("Platform operator %s exists in Keycloak; left as it is", username);
                done.set(true);
                return true;
            }
            String email = operator.bootstrapEmail().get().strip();
            String id = directory.createWithUsername(username, new PeopleDirectory.NewPerson(email, "Platform", "Operator",
                    Role.PLATFORM_OPERATOR, null, null, null));
            if (operator.bootstrapPassword().filter(p -> !p.isBlank()).isPresent()) {
                directory.setTemporaryPassword(id, operator.bootstrapPassword().get());
                LOG.infof("Created platform operator %s with the configured temporary password: Keycloak asks for a new one at the first sign-in",
                        username);
            } else {
                directory.sendInvitation(id);
                LOG.infof("Created platform operator %s; Keycloak emailed %s a link to set a password", username, email);
            }
            done.set(true);
            return true;
        } catch (AlreadyRegistered taken) {
            // the log is read by whoever runs the installation, who may know whose account it is
            LOG.errorf("Could not create the platform operator %s: Keycloak already has an account whose username or email is %s; set "
                    + "rampart.operator.bootstrap-email to another address, or give that account the platform-operator role in Keycloak",
                    username, operator.bootstrapEmail().get().strip());
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("Could not create the platform operator %s yet (%s); trying again in a minute", username, e.getMessage());
            return false;
        }
    }
}
