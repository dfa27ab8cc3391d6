package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.alerts.AlertEmails.Advice;
import io.rampart.controlplane.tenancy.Practice;

/**
 * The words of the emails about more than one rule of a practice: an incident's grouped failure, warning and recovery
 * emails, and the "not reporting" email of an agent gone silent, which names what Rampart can no longer see. Each
 * rule is described with AlertEmails' own words (title, what we see, what it means, what to do first), so a practice
 * manager reading one email at 7 am has everything the separate emails would have said, once.
 */
final class IncidentEmails {

    /**
     * A rule whose state Rampart no longer knows because the agent is silent: its last known state, and since when;
     * {@code aged}: that state was reached while the agent was already silent (its evidence only aged), so it is no fact
     * about the backups.
     */
    record Unknown(String ruleId, String lastStatus, String lastReason, Instant since, boolean aged) {
    }

    private IncidentEmails() {
    }

    /** "[Rampart] Harbour Street: 3 backup checks failing" (WARNING: "at risk", RECOVERY: "working again"). */
    static String subject(Practice practice, Notification.Kind kind, int count) {
        return "[Rampart] " + practice.name + ": " + count + " backup checks " + switch (kind) {
            case WARNING -> "at risk";
            case RECOVERY -> "working again";
            default -> "failing";
        };
    }

    /**
     * One email for several alerts of one practice, written at the same time ({@code kind} FAILURE, WARNING or
     * RECOVERY); {@code stillFailing}: the practice's other open alerts, named so a recovery never reads as "all clear"
     * when it is not.
     */
    static String body(Practice practice, Notification.Kind kind, List<Alert> alerts, List<Alert> stillFailing, String practiceUrl,
            List<Unknown> unknown) {
        List<String> lines = new ArrayList<>();
        lines.add(switch (kind) {
            case WARNING -> alerts.size() + " backup checks at " + practice.name + " will fail soon unless someone acts. They started "
                    + "together, so they may share one cause.";
            case RECOVERY -> alerts.size() + " backup checks at " + practice.name + " are working again.";
            default -> alerts.size() + " backup checks at " + practice.name + " failed together. They may share one cause (a NAS or "
                    + "server switched off, a full disk, a changed password): look at that first.";
        });
        int number = 0;
        for (Alert alert : alerts) {
            lines.add("");
            lines.addAll(kind == Notification.Kind.RECOVERY ? recovered(++number, alert)
                    : AgentSilence.isSilence(alert) ? silent(++number, alert, unknown) : failing(++number, alert, kind));
        }
        lines.add("");
        lines.addAll(stillFailing(practice, stillFailing));
        lines.add("");
        lines.add("Details: " + practiceUrl);
        lines.add("");
        lines.add("You get this email because you are a contact of " + practice.name + " in Rampart."
                + (kind == Notification.Kind.RECOVERY ? "" : " We will email again when they recover."));
        lines.add("");
        return String.join("\n", lines);
    }

    private static List<String> failing(int number, Alert alert, Notification.Kind kind) {
        Advice advice = AlertEmails.adviceFor(alert.ruleId);
        return List.of(
                number + ". " + advice.title() + " (rule " + alert.ruleId + ")",
                "   " + (kind == Notification.Kind.WARNING ? "At risk since:   " : "Since:           ") + AlertEmails.WHEN.format(alert.openedAt),
                "   What we see:     " + alert.reason,
                "   " + (kind == Notification.Kind.WARNING ? "If it fails:     " : "What it means:   ") + advice.meaning(),
                "   What to do first: " + advice.firstStep());
    }

    private static List<String> recovered(int number, Alert alert) {
        Advice advice = AlertEmails.adviceFor(alert.ruleId);
        return List.of(
                number + ". " + advice.title() + " (rule " + alert.ruleId + ")",
                "   Failing from:    " + AlertEmails.WHEN.format(alert.openedAt),
                "   Recovered:       " + AlertEmails.WHEN.format(alert.resolvedAt) + " (after "
                        + AlertEmails.human(Duration.between(alert.openedAt, alert.resolvedAt)) + ")",
                "   What we see now: " + alert.resolvedReason);
    }

    private static List<String> silent(int number, Alert alert, List<Unknown> unknown) {
        List<String> lines = new ArrayList<>();
        lines.add(number + ". The Rampart agent is not reporting (rule " + alert.ruleId + ")");
        lines.add("   Since:           " + AlertEmails.WHEN.format(alert.openedAt));
        lines.add("   What we see:     " + alert.reason);
        lines.addAll(unknownLines("   ", unknown));
        lines.add("   What to do first: " + AlertEmails.adviceFor(alert.ruleId).firstStep());
        return lines;
    }

    private static List<String> stillFailing(Practice practice, List<Alert> stillFailing) {
        if (stillFailing.isEmpty()) {
            return List.of("Nothing else is failing at " + practice.name + ".");
        }
        List<String> lines = new ArrayList<>();
        lines.add("Still failing at " + practice.name + ":");
        for (Alert alert : stillFailing) {
            lines.add("  - " + AlertEmails.adviceFor(alert.ruleId).title() + " (rule " + alert.ruleId + "), since "
                    + AlertEmails.WHEN.format(alert.openedAt) + (alert.silenced ? ": unknown while the agent is silent" : ""));
        }
        return lines;
    }

    /** "[Rampart] NOT REPORTING: Harbour Street, 6 backup checks unknown" */
    static String silenceSubject(Practice practice, List<Unknown> unknown) {
        return "[Rampart] NOT REPORTING: " + practice.name + (unknown.isEmpty() ? ""
                : ", " + unknown.size() + (unknown.size() == 1 ? " backup check" : " backup checks") + " unknown");
    }

    /** The one email of an agent gone silent: since when, what Rampart can no longer see, and what to do. */
    static String silenceBody(Practice practice, Alert alert, List<Unknown> unknown, String practiceUrl) {
        List<String> lines = new ArrayList<>();
        lines.add("Rampart is not hearing from the agent at " + practice.name + ", so it cannot see that practice's backups.");
        lines.add("");
        lines.add("What we see:     " + alert.reason);
        lines.addAll(unknownLines("", unknown));
        lines.add("");
        lines.add("What it means:   " + AlertEmails.adviceFor(alert.ruleId).meaning());
        lines.add("What to do first: " + AlertEmails.adviceFor(alert.ruleId).firstStep());
        lines.add("");
        lines.add("Details: " + practiceUrl);
        lines.add("");
        lines.add("You get this email because you are a contact of " + practice.name + " in Rampart. We will email again when the "
                + "agent reports, and then about any of these checks that really fails.");
        lines.add("");
        return String.join("\n", lines);
    }

    private static List<String> unknownLines(String indent, List<Unknown> unknown) {
        if (unknown.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(indent + "Unknown until the agent reports again (no separate email about each while it is silent):");
        for (Unknown rule : unknown) {
            lines.add(indent + "  - " + AlertEmails.adviceFor(rule.ruleId()).title() + " (rule " + rule.ruleId() + "): " + lastKnown(rule));
        }
        return lines;
    }

    /**
     * "last known passing since Mon 30 Nov 2026, 06:10 UTC (last NAS copy 2 h ago (limit 26 h))", "no evidence yet", or for a
     * verdict reached during the silence "unknown (its last evidence is now too old): last NAS copy 32 h ago (limit 26 h)".
     */
    private static String lastKnown(Unknown rule) {
        String status = switch (rule.lastStatus()) {
            case "PASS" -> "passing";
            case "AT_RISK" -> "at risk";
            case "FAIL" -> "failing";
            default -> null;
        };
        if (status == null) {
            return "no evidence yet";
        }
        if (rule.aged() && !"PASS".equals(rule.lastStatus())) {
            // a verdict reached on evidence that aged during the silence says nothing about the NAS or the copy
            return "unknown (its last evidence is now too old)"
                    + (rule.lastReason() == null || rule.lastReason().isBlank() ? "" : ": " + rule.lastReason());
        }
        return "last known " + status + (rule.since() == null ? "" : " since " + AlertEmails.WHEN.format(rule.since()))
                + (rule.lastReason() == null || rule.lastReason().isBlank() ? "" : " (" + rule.lastReason() + ")");
    }
}
