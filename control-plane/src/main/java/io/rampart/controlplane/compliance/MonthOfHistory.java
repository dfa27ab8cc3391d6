package io.rampart.controlplane.compliance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.shared.PracticeStatus;

/**
 * A group's compliance history over one report month, as the report reads it: where each practice
 * stood on each rule (and overall) when the month began, and every change within it. The day
 * shares and failing times are worked out here from those rows alone, so they are tested without
 * a database.
 */
public record MonthOfHistory(ReportMonth period, List<StateChange> atStart, List<StateChange> changes) {

    /**
     * A practice's state on a rule (ruleId null: its overall state) from {@code changedAt} on; for a
     * state the period began with, from the period's start whatever its changedAt. A null status: the
     * practice left the group then (moved to another), so from then on it counts neither way here.
     */
    public record StateChange(UUID practiceId, String ruleId, PracticeStatus status, Instant changedAt) {

        Key key() {
            return new Key(practiceId, ruleId);
        }
    }

    /** One practice on one rule (ruleId null: overall). */
    record Key(UUID practiceId, String ruleId) {
    }

    /** For how long one practice failed one rule within the period, in how many episodes, and whether it still fails at its end. */
    public record FailingTime(UUID practiceId, String ruleId, Duration failingFor, int episodes, boolean stillFailing) {
    }

    public MonthOfHistory {
        atStart = List.copyOf(atStart);
        // in the order they happened, whatever order they came in; a stable sort keeps the database's order within an instant
        changes = changes.stream().sorted(Comparator.comparing(StateChange::changedAt)).toList();
    }

    /** Each day of the period with the states as they were at its end. */
    public List<ReportDay> days() {
        Map<Key, PracticeStatus> standing = new HashMap<>();
        atStart.forEach(state -> standing.put(state.key(), state.status()));
        List<ReportDay> days = new ArrayList<>();
        int next = 0;
        for (LocalDate day : period.days()) {
            Instant end = period.endOf(day);
            for (; next < changes.size() && changes.get(next).changedAt().isBefore(end); next++) {
                StateChange change = changes.get(next);
                if (change.status() == null) {
                    standing.remove(change.key());
                } else {
                    standing.put(change.key(), change.status());
                }
            }
            days.add(shares(day, standing));
        }
        return days;
    }

    /** Every practice and rule that failed for some time within the period, in no particular order. */
    public List<FailingTime> failures() {
        Map<Key, FailingTally> tallies = new LinkedHashMap<>();
        for (StateChange state : atStart) {
            if (state.ruleId() != null) {
                tallies.computeIfAbsent(state.key(), key -> new FailingTally()).enter(state.status(), period.from());
            }
        }
        for (StateChange change : changes) {
            if (change.ruleId() != null) {
                tallies.computeIfAbsent(change.key(), key -> new FailingTally()).enter(change.status(), change.changedAt());
            }
        }
        List<FailingTime> failing = new ArrayList<>();
        tallies.forEach((key, tally) -> {
            tally.close(period.to());
            if (tally.failingFor.compareTo(Duration.ZERO) > 0) {
                failing.add(new FailingTime(key.practiceId(), key.ruleId(), tally.failingFor, tally.episodes, tally.failingAtEnd));
            }
        });
        return failing;
    }

    private static ReportDay shares(LocalDate day, Map<Key, PracticeStatus> standing) {
        Map<String, int[]> counts = new TreeMap<>(MonthOfHistory::inPolicyOrder);
        int[] overall = new int[2];
        standing.forEach((key, status) -> {
            int[] count = key.ruleId() == null ? overall : counts.computeIfAbsent(key.ruleId(), id -> new int[2]);
            count[0] += status == PracticeStatus.PASS ? 1 : 0;
            count[1]++;
        });
        Map<String, Double> rules = new LinkedHashMap<>();
        counts.forEach((ruleId, count) -> rules.put(ruleId, ComplianceService.share(count[0], count[1])));
        return new ReportDay(day, overall[1] == 0 ? null : ComplianceService.share(overall[0], overall[1]), rules);
    }

    /** Every rule some day has a share for, in policy order: the columns of the CSV, the rows of the PDF's table. */
    static List<String> rulesIn(List<ReportDay> days) {
        Set<String> rules = new TreeSet<>(MonthOfHistory::inPolicyOrder);
        days.forEach(day -> rules.addAll(day.rules().keySet()));
        return List.copyOf(rules);
    }

    /** The reference policy's order; a rule it does not know (one since retired) after the others, by id. */
    static int inPolicyOrder(String a, String b) {
        int ia = ComplianceService.RULE_ORDER.indexOf(a);
        int ib = ComplianceService.RULE_ORDER.indexOf(b);
        if (ia >= 0 && ib >= 0) {
            return Integer.compare(ia, ib);
        }
        return ia >= 0 ? -1 : ib >= 0 ? 1 : a.compareTo(b);
    }

    /**
     * One practice's time in FAIL on one rule, fed its states in order (null: it left the group, which ends an
     * episode); {@code close(to)} ends the period.
     */
    private static final class FailingTally {
        Duration failingFor = Duration.ZERO;
        int episodes;
        boolean failingAtEnd;
        private PracticeStatus status;
        private Instant since;

        void enter(PracticeStatus next, Instant at) {
            boolean failing = status == PracticeStatus.FAIL;
            if (failing) {
                failingFor = failingFor.plus(Duration.between(since, at));
            }
            // a FAIL row after a FAIL (a new reason, a new policy version) goes on with the same episode
            if (next == PracticeStatus.FAIL && !failing) {
                episodes++;
            }
            status = next;
            since = at;
        }

        void close(Instant to) {
            failingAtEnd = status == PracticeStatus.FAIL;
            enter(null, to);
        }
    }
}
