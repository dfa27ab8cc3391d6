package io.rampart.controlplane.pings;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.AgentConfigurationChanged;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;

/**
 * A ping URL lives only as long as its check does as a reported job at its practice: in the transaction of every
 * change that can alter a practice's checks (ConfigurationChanges: a check removed or changed to another kind, in the
 * group's set or at the practice, a practice moved to another group), the live URLs of checks that are gone or are no
 * longer REPORTED_JOB are revoked and audited ("ping-url.revoked", with why). Else the agents would still be told not
 * to run the check while its pings answer 404: no data at all, and no word why. The change itself tells the agents,
 * so they get the check back.
 */
@ApplicationScoped
public class PingUrlsFollowTheirChecks {

    private static final Logger LOG = Logger.getLogger(PingUrlsFollowTheirChecks.class);

    @Inject
    EntityManager entityManager;
    @Inject
    ConfiguredChecks configuredChecks;
    @Inject
    AuditLog audit;
    @Inject
    PingRateLimiter limiter;
    @Inject
    Clock clock;
    @Inject
    Instance<CurrentCaller> currentCaller;

    /** Runs inside the change's transaction (synchronous observer): the revocation commits or rolls back with it. */
    void revokeOrphans(@Observes(during = TransactionPhase.IN_PROGRESS) AgentConfigurationChanged change) {
        List<PingUrl> live = PingUrl.<PingUrl> list("providerId = ?1 and revokedAt is null", change.providerId()).stream()
                .filter(url -> change.practiceId() == null || change.practiceId().equals(url.practiceId)).toList();
        if (live.isEmpty()) {
            return;
        }
        // the change's own rows (a removed check, a new kind) must be what the merge below reads
        entityManager.flush();
        Map<UUID, List<PingUrl>> byPractice = live.stream().collect(Collectors.groupingBy(url -> url.practiceId));
        for (Map.Entry<UUID, List<PingUrl>> entry : byPractice.entrySet()) {
            Practice practice = Practice.findById(entry.getKey());
            if (practice == null || change.groupId() != null && change.practiceId() == null && !change.groupId().equals(practice.groupId)) {
                continue;
            }
            Map<String, CheckDefinition> checks = configuredChecks.of(practice).stream().map(ConfiguredChecks.Configured::definition)
                    .collect(Collectors.toMap(d -> d.checkId, Function.identity(), (a, b) -> a));
            for (PingUrl url : entry.getValue()) {
                CheckDefinition check = checks.get(url.checkId);
                if (check != null && "REPORTED_JOB".equals(check.kind)) {
                    continue;
                }
                String why = check == null ? "the practice no longer runs the check \"" + url.checkId + "\""
                        : "the check \"" + url.checkId + "\" is now of kind " + check.kind + ", not REPORTED_JOB";
                revoke(practice, url, why);
            }
        }
    }

    private void revoke(Practice practice, PingUrl url, String why) {
        PingUrls.Audited before = PingUrls.Audited.of(url);
        Caller caller = caller(practice);
        url.revokedAt = clock.instant();
        url.revokedBy = caller.username();
        limiter.forget(url.pingId);
        audit.record(caller, new AuditLog.Change("ping-url.revoked", "ping-url", practice.id + "/" + url.checkId, practice.tenancy(),
                before, PingUrls.Audited.of(url, why)));
        LOG.infof("revoked the ping URL %s of check %s at practice %s: %s", url.id, url.checkId, practice.id, why);
    }

    /** Who made the change (the signed-in admin), or Rampart itself when it was made outside a request (the demo). */
    private Caller caller(Practice practice) {
        if (Arc.container().requestContext().isActive() && currentCaller.isResolvable()) {
            try {
                return currentCaller.get().get();
            } catch (RuntimeException e) {
                // no signed-in person in this request: Rampart's own change
            }
        }
        return new Caller("rampart-control-plane", "rampart", "Rampart", Role.PROVIDER_ADMIN, TenantScope.provider(practice.providerId));
    }
}
