package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.fleet.PracticeStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;

/**
 * db-sync: each database (checks "db-sync", "db-sync-clinical", ...) is replicated to a reachable
 * secondary with lag at most 15 min, and the secondary was verified within 24 h.
 */
public final class DbSyncRule extends AbstractRule {

    public static final String ID = "db-sync";

    private final Thresholds.DbSync thresholds;
    private final List<String> checkIds;

    public DbSyncRule() {
        this(Thresholds.DbSync.DEFAULT);
    }

    public DbSyncRule(Thresholds.DbSync thresholds) {
        this(thresholds, List.of(ID));
    }

    public DbSyncRule(Thresholds.DbSync thresholds, List<String> checkIds) {
        super(ID);
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        List<RuleVerdict> parts = new ArrayList<>();
        for (CheckEvidence check : evidence.checks(checkIds)) {
            String name = check.checkId().equals(ID) ? "database" : "database " + check.checkId().substring(ID.length() + 1);
            if (check.failedToRun() || !check.result().hasDatabaseSync()) {
                parts.add(RuleVerdict.fail(ID, "the " + name + " sync check could not run: " + check.result().getSummary()));
                continue;
            }
            DatabaseSyncObservation sync = check.result().getDatabaseSync();
            if (!sync.getSecondaryReachable()) {
                parts.add(RuleVerdict.fail(ID, "the secondary " + name + " server is unreachable"));
                continue;
            }
            Duration lag = Texts.duration(sync.getLag());
            parts.add(new RuleVerdict(ID, Verdicts.grade(lag, thresholds.maxLag(), thresholds.lagGrace()),
                    name + " lag " + Texts.span(lag) + " (limit " + Texts.span(thresholds.maxLag()) + ")"));
            if (!sync.hasVerifiedAt()) {
                parts.add(RuleVerdict.fail(ID, "the secondary " + name + " was never verified"));
            } else {
                Duration sinceVerified = Duration.between(Texts.instant(sync.getVerifiedAt()), now);
                PracticeStatus status = Verdicts.grade(sinceVerified, thresholds.verifyEvery(), thresholds.verifyGrace());
                parts.add(new RuleVerdict(ID, status, "secondary " + name + " last verified " + Texts.span(sinceVerified) + " ago (limit "
                        + Texts.span(thresholds.verifyEvery()) + ")"));
            }
        }
        return Verdicts.combine(ID, parts);
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
