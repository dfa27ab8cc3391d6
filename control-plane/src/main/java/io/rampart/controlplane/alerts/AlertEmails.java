package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import io.rampart.controlplane.tenancy.Practice;

/**
 * The emails people get, in plain language: what failed, since when, what it means for the
 * practice and what to do first. Written for the practice manager as much as for the IT contact.
 * Public only for {@link #ruleTitle(String)}: the rules' names in these words belong in reports too.
 */
public final class AlertEmails {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** What a failing rule means for the practice, and the first thing to do. */
    record Advice(String title, String meaning, String firstStep) {
    }

    private static final Map<String, Advice> ADVICE = Map.ofEntries(
            Map.entry("db-sync", new Advice("Database copy to the secondary server",
                    "If the main server failed now, the practice could lose more than 15 minutes of patient records.",
                    "Check that the secondary database server is running and still replicating from the main one.")),
            Map.entry("cloud-copy", new Advice("Nightly cloud copy",
                    "The offsite copy is out of date: a fire, theft or ransomware at the practice could lose recent records.",
                    "Check the cloud backup job's last run and whether its credentials or storage quota changed.")),
            Map.entry("nas-copy", new Advice("Daily copy on the NAS",
                    "The quickest copy to restore from is missing, stale or unreadable; a restore would start from an older copy.",
                    "Check the backup job on the practice server and that the NAS is switched on and reachable.")),
            Map.entry("usb-rotation", new Advice("Rotated USB drives",
                    "The offline copy that survives ransomware is not being rotated, so no recent copy is safely offsite.",
                    "Swap the attached USB drive for the one kept offsite today, and take the attached one away.")),
            Map.entry("system-image", new Advice("Daily image of the server",
                    "Rebuilding the server after a hardware failure would take far longer than the 15 minutes planned.",
                    "Check the imaging software's last job and the free space where it writes its images.")),
            Map.entry("archive-retention", new Advice("Three-year archive",
                    "Older records the practice must keep could not be recovered when someone asks for them.",
                    "Check the archive's retention settings and its most recent archive run.")),
            Map.entry("restore-test", new Advice("Restore test",
                    "Nobody has proved recently that the backups can actually be restored in time.",
                    "Run a restore test now (the agent runs one weekly) and read its result.")),
            Map.entry("ups", new Advice("Uninterruptible power supply",
                    "A power cut could stop the server abruptly and damage the practice database.",
                    "Check the UPS status and battery, and run its self-test.")),
            Map.entry("plan-review", new Advice("Backup plan review",
                    "The written backup procedure may no longer match what the practice actually does.",
                    "Review the backup procedure with the practice and record the review in Rampart.")),
            Map.entry("contacts", new Advice("Contacts for failure emails",
                    "Failure emails cannot reach everyone who must act on them.",
                    "Add an IT contact and the practice manager to the practice in Rampart.")),
            Map.entry("agent-heartbeat", new Advice("Rampart agent",
                    "Rampart cannot see this practice's backups at all: everything it shows about them may be out of date.",
                    "Check that the practice server is on and the rampart-agent service is running.")));

    private AlertEmails() {
    }

    /** A rule's name as people read it, e.g. "Daily copy on the NAS" for nas-copy; the id itself for a rule it does not know. */
    public static String ruleTitle(String ruleId) {
        return adviceFor(ruleId).title();
    }

    static Advice adviceFor(String ruleId) {
        return ADVICE.getOrDefault(ruleId, new Advice(ruleId, "A backup safeguard of the practice is not in place.",
                "Open the practice in Rampart to see what failed."));
    }

    static String failureSubject(Practice practice, String ruleId) {
        return "[Rampart] FAILED: " + adviceFor(ruleId).title() + " at " + practice.name;
    }

    static String failureBody(Practice practice, Alert alert, String practiceUrl) {
        Advice advice = adviceFor(alert.ruleId);
        return String.join("\n",
                "Backups at " + practice.name + " need attention.",
                "",
                "What failed:     " + advice.title() + " (rule " + alert.ruleId + ")",
                "Since:           " + WHEN.format(alert.openedAt),
                "What we see:     " + alert.reason,
                "",
                "What it means:   " + advice.meaning(),
                "What to do first: " + advice.firstStep(),
                "",
                "Details: " + practiceUrl,
                "",
                "You get this email because you are a contact of " + practice.name + " in Rampart. We will email again when it recovers.",
                "");
    }

    static String warningSubject(Practice practice, String ruleId) {
        return "[Rampart] AT RISK: " + adviceFor(ruleId).title() + " at " + practice.name;
    }

    static String warningBody(Practice practice, Alert alert, String practiceUrl) {
        Advice advice = adviceFor(alert.ruleId);
        return String.join("\n",
                advice.title() + " at " + practice.name + " will fail soon unless someone acts.",
                "",
                "At risk since:   " + WHEN.format(alert.openedAt),
                "What we see:     " + alert.reason,
                "",
                "If it fails:     " + advice.meaning(),
                "What to do first: " + advice.firstStep(),
                "",
                "Details: " + practiceUrl,
                "",
                "Your group asked to hear of rules at risk, before they fail. We will email again if it fails or when it recovers.",
                "");
    }

    static String escalationSubject(Practice practice, Alert alert, Instant now) {
        return "[Rampart] ESCALATED: " + adviceFor(alert.ruleId).title() + " at " + practice.name + ", unacknowledged for "
                + human(Duration.between(alert.openedAt, now));
    }

    static String escalationBody(Practice practice, Alert alert, Instant now, String practiceUrl) {
        return "A critical alert has been failing for " + human(Duration.between(alert.openedAt, now))
                + " and nobody has acknowledged it. You get this as your provider's on-call address.\n"
                + "Acknowledge it in Rampart once someone is on it.\n\n" + failureBody(practice, alert, practiceUrl);
    }

    static String reminderSubject(Practice practice, Alert alert) {
        return "[Rampart] Still failing (reminder " + alert.reminders + "): " + adviceFor(alert.ruleId).title() + " at " + practice.name;
    }

    static String reminderBody(Practice practice, Alert alert, Instant now, String practiceUrl) {
        return "Still failing for " + human(Duration.between(alert.openedAt, now)) + ", and nobody has acknowledged it yet.\n\n"
                + failureBody(practice, alert, practiceUrl);
    }

    static String recoverySubject(Practice practice, String ruleId) {
        return "[Rampart] Recovered: " + adviceFor(ruleId).title() + " at " + practice.name;
    }

    static String recoveryBody(Practice practice, Alert alert, String practiceUrl) {
        Advice advice = adviceFor(alert.ruleId);
        Duration down = Duration.between(alert.openedAt, alert.resolvedAt);
        return String.join("\n",
                advice.title() + " at " + practice.name + " is working again.",
                "",
                "Failing from:    " + WHEN.format(alert.openedAt),
                "Recovered:       " + WHEN.format(alert.resolvedAt) + " (after " + human(down) + ")",
                "What we see now: " + alert.resolvedReason,
                "",
                "Details: " + practiceUrl,
                "");
    }

    static String human(Duration duration) {
        long minutes = Math.max(0, duration.toMinutes());
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        return minutes / (24 * 60) + " days";
    }
}
