package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daily digest: how every practice stands, what still needs someone, and what recovered,
 * in one email a manager can read over coffee. Pure text from the facts it is given.
 */
public final class DigestEmails {

    /** At most this many open alerts are listed; the rest are counted and one click away. */
    static final int MAX_LISTED = 100;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);

    public record Digest(String subject, String body) {
    }

    /** One alert as the digest lists it, with the names a reader knows. */
    record Line(String groupName, String practiceName, Alert alert) {
    }

    /** How many practices are in each overall state (PASS, AT_RISK, FAIL, UNKNOWN; null: not evaluated yet). */
    record Standing(int practices, Map<String, Integer> byStatus) {
        int count(String status) {
            return byStatus.getOrDefault(status, 0);
        }

        int notYetEvaluated() {
            return practices - byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private DigestEmails() {
    }

    static Digest compose(String scopeName, Standing standing, List<Line> open, List<Line> recovered, Instant now, ZoneId zone, String url) {
        String subject = "[Rampart] Daily digest for " + scopeName + ", " + DAY.format(now.atZone(zone)) + ": "
                + headline(standing, open);
        List<String> body = new ArrayList<>();
        body.add("How the backups of " + scopeName + "'s " + plural(standing.practices(), "practice") + " stand at "
                + DAY_AND_TIME.format(now.atZone(zone)) + " (" + zone.getId() + ").");
        body.add("");
        body.add("  Compliant: " + standing.count("PASS") + "   At risk: " + standing.count("AT_RISK") + "   Failing: " + standing.count("FAIL")
                + "   No data yet: " + standing.count("UNKNOWN") + "   Not evaluated yet: " + standing.notYetEvaluated());
        body.add("");
        long unacknowledged = open.stream().filter(line -> line.alert().status == Alert.Status.OPEN).count();
        if (open.isEmpty()) {
            body.add("Nothing needs attention: no alert is open.");
        } else {
            body.add("Needs attention: " + plural(open.size(), "open alert") + ", " + unacknowledged + " not acknowledged by anyone");
            listed(body, open.subList(0, Math.min(open.size(), MAX_LISTED)), line -> openLine(line, now));
            if (open.size() > MAX_LISTED) {
                body.add("  ... and " + (open.size() - MAX_LISTED) + " more: see " + url);
            }
        }
        body.add("");
        if (recovered.isEmpty()) {
            body.add("Recovered in the last 24 hours: none.");
        } else {
            body.add("Recovered in the last 24 hours: " + recovered.size());
            listed(body, recovered.subList(0, Math.min(recovered.size(), MAX_LISTED)), DigestEmails::recoveredLine);
        }
        body.add("");
        body.add("Details: " + url);
        body.add("");
        body.add("You get this digest once a day as a manager of " + scopeName + " in Rampart.");
        body.add("");
        return new Digest(subject, String.join("\n", body));
    }

    private static String headline(Standing standing, List<Line> open) {
        int failing = standing.count("FAIL");
        if (failing > 0) {
            return failing + " of " + plural(standing.practices(), "practice") + " failing";
        }
        if (standing.count("AT_RISK") > 0) {
            return standing.count("AT_RISK") + " of " + plural(standing.practices(), "practice") + " at risk";
        }
        return open.isEmpty() ? "all " + plural(standing.practices(), "practice") + " compliant" : plural(open.size(), "open alert");
    }

    private interface Describe {
        String of(Line line);
    }

    /** Lines grouped under their group's name when there are several groups. */
    private static void listed(List<String> body, Collection<Line> lines, Describe describe) {
        boolean severalGroups = lines.stream().map(Line::groupName).distinct().count() > 1;
        String group = null;
        for (Line line : lines) {
            if (severalGroups && !line.groupName().equals(group)) {
                group = line.groupName();
                body.add("  " + group);
            }
            body.add((severalGroups ? "    - " : "  - ") + describe.of(line));
        }
    }

    private static String openLine(Line line, Instant now) {
        Alert alert = line.alert();
        String state = alert.level == Alert.Level.AT_RISK ? "at risk for " : "failing for ";
        String who = alert.status == Alert.Status.ACKNOWLEDGED
                ? "acknowledged by " + alert.acknowledgedBy + (alert.acknowledgedNote == null || alert.acknowledgedNote.isEmpty() ? ""
                        : ": \"" + alert.acknowledgedNote + "\"")
                : "NOT ACKNOWLEDGED" + (alert.escalatedAt != null ? ", escalated to on-call" : "");
        return line.practiceName() + ": " + AlertEmails.adviceFor(alert.ruleId).title() + ", " + state
                + AlertEmails.human(Duration.between(alert.openedAt, now)) + " (" + who + "). " + alert.reason;
    }

    private static String recoveredLine(Line line) {
        Alert alert = line.alert();
        return line.practiceName() + ": " + AlertEmails.adviceFor(alert.ruleId).title() + ", working again after "
                + AlertEmails.human(Duration.between(alert.openedAt, alert.resolvedAt));
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
