package io.rampart.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.alerts.DigestEmails.Digest;
import io.rampart.controlplane.alerts.DigestEmails.Line;
import io.rampart.controlplane.alerts.DigestEmails.Standing;

class DigestEmailsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void theDigestSaysHowThePracticesStandWhatNeedsSomeoneAndWhatRecovered() {
        Alert nas = alert("nas-copy", Alert.Status.OPEN, Duration.ofDays(3), "last NAS copy 80 h old (limit 26 h)");
        nas.escalatedAt = NOW.minus(Duration.ofDays(2));
        Alert usb = alert("usb-rotation", Alert.Status.ACKNOWLEDGED, Duration.ofDays(12), "USB-A attached for 12 days");
        usb.acknowledgedBy = "tom";
        usb.acknowledgedNote = "drive ordered";
        Alert cloud = alert("cloud-copy", Alert.Status.RESOLVED, Duration.ofHours(20), "cloud copy 30 h old");
        cloud.resolvedAt = NOW.minus(Duration.ofHours(15));

        Digest digest = DigestEmails.compose("Coastal Medical Group", new Standing(3, Map.of("PASS", 1, "FAIL", 2)),
                List.of(new Line("Coastal Medical Group", "Harbour Street Surgery", nas), new Line("Coastal Medical Group", "Riverside Practice", usb)),
                List.of(new Line("Coastal Medical Group", "Hilltop Medical Centre", cloud)), NOW, LONDON, "https://rampart.example/");

        assertThat(digest.subject()).isEqualTo("[Rampart] Daily digest for Coastal Medical Group, Thu 26 Nov: 2 of 3 practices failing");
        assertThat(digest.body()).contains(
                "How the backups of Coastal Medical Group's 3 practices stand at Thu 26 Nov 2026, 07:00 (Europe/London).",
                "Compliant: 1   At risk: 0   Failing: 2   No data yet: 0   Not evaluated yet: 0",
                "Needs attention: 2 open alerts, 1 not acknowledged by anyone",
                "  - Harbour Street Surgery: Daily copy on the NAS, failing for 3 days (NOT ACKNOWLEDGED, escalated to on-call). "
                        + "last NAS copy 80 h old (limit 26 h)",
                "  - Riverside Practice: Rotated USB drives, failing for 12 days (acknowledged by tom: \"drive ordered\").",
                "Recovered in the last 24 hours: 1",
                "  - Hilltop Medical Centre: Nightly cloud copy, working again after 5 h 0 min",
                "Details: https://rampart.example/");
    }

    @Test
    void aCalmDayIsSaidInOneLineAndSeveralGroupsAreListedUnderTheirNames() {
        Digest calm = DigestEmails.compose("Coastal Medical Group", new Standing(2, Map.of("PASS", 2)), List.of(), List.of(), NOW, LONDON,
                "https://rampart.example/");
        assertThat(calm.subject()).endsWith(": all 2 practices compliant");
        assertThat(calm.body()).contains("Nothing needs attention: no alert is open.", "Recovered in the last 24 hours: none.");

        Digest provider = DigestEmails.compose("Northwind IT Services", new Standing(4, Map.of("PASS", 2, "AT_RISK", 1)),
                List.of(new Line("Coastal Medical Group", "Harbour Street Surgery", alert("ups", Alert.Status.OPEN, Duration.ofHours(3), "on battery")),
                        new Line("Inland Health Group", "Moorland Health Centre", alert("restore-test", Alert.Status.OPEN, Duration.ofHours(1), "8 days"))),
                List.of(), NOW, LONDON, "https://rampart.example/");
        assertThat(provider.subject()).endsWith(": 1 of 4 practices at risk");
        assertThat(provider.body()).contains("Not evaluated yet: 1", "  Coastal Medical Group\n    - Harbour Street Surgery: Uninterruptible power supply",
                "  Inland Health Group\n    - Moorland Health Centre: Restore test");
    }

    @Test
    void aLargeFleetListsTheFirstHundredAlertsAndCountsTheRest() {
        List<Line> open = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            open.add(new Line("Big Group", String.format("Practice %03d", i), alert("nas-copy", Alert.Status.OPEN, Duration.ofHours(30), "old")));
        }
        Digest digest = DigestEmails.compose("Big Group", new Standing(130, Map.of("FAIL", 130)), open, List.of(), NOW, LONDON, "https://r.example/");
        assertThat(digest.body()).contains("Practice 099", "... and 30 more: see https://r.example/").doesNotContain("Practice 100");
    }

    @Test
    void aSilentAgentInsideAMaintenanceWindowIsOneMaintenanceLineAndItsHiddenChecksAreUnknownNotFailing() {
        UUID practiceId = UUID.randomUUID();
        Alert heartbeat = alert("agent-heartbeat", Alert.Status.OPEN, Duration.ofHours(2), "the agent last called in 2 h ago (limit 10 min)");
        Alert nas = alert("nas-copy", Alert.Status.OPEN, Duration.ofHours(1), "last NAS copy 28 h ago (limit 26 h)");
        nas.silenced = true;
        Alert restore = alert("restore-test", Alert.Status.OPEN, Duration.ofHours(1), "last restore test 9 days ago");
        restore.silenced = true;
        for (Alert a : List.of(heartbeat, nas, restore)) {
            a.practiceId = practiceId;
        }
        DigestEmails.InMaintenance window = new DigestEmails.InMaintenance("Coastal Medical Group", "Harbour Street Surgery",
                NOW.plus(Duration.ofHours(3)), LONDON, "Replacing the server");

        Digest digest = DigestEmails.compose("Coastal Medical Group", new Standing(1, Map.of("FAIL", 1)),
                List.of(new Line("Coastal Medical Group", "Harbour Street Surgery", heartbeat, true),
                        new Line("Coastal Medical Group", "Harbour Street Surgery", nas, true),
                        new Line("Coastal Medical Group", "Harbour Street Surgery", restore, true)),
                List.of(), Map.of(practiceId, window), NOW, LONDON, "https://rampart.example/");

        assertThat(digest.body()).contains(
                "In maintenance now (nothing about them is emailed until it ends):\n  - Harbour Street Surgery until Thu 26 Nov, 10:00 GMT: "
                        + "Replacing the server",
                "Needs attention: 0 open alerts, 0 not acknowledged by anyone; 2 more checks unknown while the agent is not reporting; "
                        + "1 check failing inside a maintenance window",
                "  - Harbour Street Surgery (in maintenance until Thu 26 Nov, 10:00 GMT): 1 check failing since its planned maintenance "
                        + "began (Replacing the server), emailed only if still failing when it ends: Rampart agent",
                "  - Harbour Street Surgery (in maintenance until Thu 26 Nov, 10:00 GMT): the Rampart agent is not reporting. Unknown while it "
                        + "is not reporting (nobody is emailed about these on their own): Daily copy on the NAS, Restore test");
        assertThat(digest.body()).doesNotContain("failing for");
    }

    private static Alert alert(String ruleId, Alert.Status status, Duration openFor, String reason) {
        Alert alert = new Alert();
        alert.id = UUID.randomUUID();
        alert.ruleId = ruleId;
        alert.status = status;
        alert.reason = reason;
        alert.openedAt = NOW.minus(openFor);
        return alert;
    }
}
