package io.rampart.controlplane.policy.checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rampart.controlplane.policy.rules.ArchiveRetentionRule;
import io.rampart.controlplane.policy.rules.CloudCopyRule;
import io.rampart.controlplane.policy.rules.DbSyncRule;
import io.rampart.controlplane.policy.rules.NasCopyRule;
import io.rampart.controlplane.policy.rules.RestoreTestRule;
import io.rampart.controlplane.policy.rules.SystemImageRule;
import io.rampart.controlplane.policy.rules.UpsRule;
import io.rampart.controlplane.policy.rules.UsbRotationRule;

/**
 * Check sets that cover the reference policy (DESIGN.md), layer by layer, to start a group's check set from. Each
 * check's id serves its rule, so the group's policy gives it its thresholds (max age, lag, rotation, runtime...); the
 * settings here are only what the policy does not say (read back every byte, a size floor, the cloud tool). Where a
 * copy lives (paths, repositories, passwords) stays in the practice's own configuration.
 */
public final class CheckTemplates {

    /** A named check set. {@code layers}: the rules of the reference policy its checks serve. */
    public record CheckTemplate(String id, String name, String description, List<String> layers) {
    }

    /** Where a group's cloud copy goes: restic or borg. */
    public enum CloudTool {
        RESTIC, BORG
    }

    public static final String REFERENCE = "reference";
    public static final List<CheckTemplate> ALL = List.of(
            new CheckTemplate(REFERENCE, "Reference: all layers",
                    "Every layer of the reference policy: database sync, cloud copy, NAS folder, rotated USB drives, a reported "
                            + "system image, the archive, a daily restore test and the UPS",
                    List.of(DbSyncRule.ID, CloudCopyRule.ID, NasCopyRule.ID, UsbRotationRule.ID, SystemImageRule.ID,
                            ArchiveRetentionRule.ID, RestoreTestRule.ID, UpsRule.ID)),
            new CheckTemplate("offsite-essentials", "Offsite essentials",
                    "A cloud copy with a daily restore test of it, and the UPS", List.of(CloudCopyRule.ID, RestoreTestRule.ID, UpsRule.ID)),
            new CheckTemplate("onsite-copies", "Onsite copies",
                    "A NAS folder read back in full, rotated USB drives, and a daily restore test of the NAS copy",
                    List.of(NasCopyRule.ID, UsbRotationRule.ID, RestoreTestRule.ID)));

    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toSeconds();
    private static final long FIFTEEN_MINUTES = Duration.ofMinutes(15).toSeconds();
    private static final long HOUR = Duration.ofHours(1).toSeconds();
    private static final long DAY = Duration.ofDays(1).toSeconds();

    private CheckTemplates() {
    }

    public static Optional<CheckTemplate> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * The template's checks. The restore test restores {@code restoreSource} when given (validated with the rest of
     * the set), else the cloud copy where the template has one, else the NAS copy.
     */
    public static List<CheckInput> checks(CheckTemplate template, CloudTool cloud, String restoreSource) {
        List<CheckInput> checks = new ArrayList<>();
        for (String layer : template.layers()) {
            switch (layer) {
                // the policy sets the lag limit and how often the secondary is verified
                case DbSyncRule.ID -> checks.add(check(DbSyncRule.ID, "DATABASE_SYNC", FIVE_MINUTES, "{}"));
                case CloudCopyRule.ID -> checks.add(cloud == CloudTool.BORG
                        // borg's --verify-data reads the whole repository: left to the check's own schedule
                        ? check(CloudCopyRule.ID, "BORG_REPOSITORY", HOUR, "{\"minSnapshots\": 1}")
                        // restic check --read-data-subset=5%: a different 5 % of the data each time
                        : check(CloudCopyRule.ID, "RESTIC_REPOSITORY", HOUR, "{\"minSnapshots\": 1, \"readDataPercent\": 5}"));
                case NasCopyRule.ID -> checks.add(check(NasCopyRule.ID, "BACKUP_FOLDER", FIFTEEN_MINUTES,
                        "{\"minSizeBytes\": \"1024\", \"readBack\": true}"));
                case UsbRotationRule.ID -> {
                    checks.add(check("usb-copy", "BACKUP_FOLDER", FIFTEEN_MINUTES, "{\"minSizeBytes\": \"1024\"}"));
                    // the policy sets how long one drive may stay attached and how many must rotate
                    checks.add(check(UsbRotationRule.ID, "USB_ROTATION", FIFTEEN_MINUTES, "{}"));
                }
                case SystemImageRule.ID -> checks.add(check(SystemImageRule.ID, "REPORTED_JOB", FIFTEEN_MINUTES, "{}"));
                case ArchiveRetentionRule.ID -> checks.add(check(ArchiveRetentionRule.ID, "BACKUP_FOLDER", HOUR,
                        "{\"minSizeBytes\": \"1024\"}"));
                case RestoreTestRule.ID -> {
                    String source = restoreSource != null && !restoreSource.isBlank() ? restoreSource.strip()
                            : template.layers().contains(CloudCopyRule.ID) ? CloudCopyRule.ID : NasCopyRule.ID;
                    checks.add(check(RestoreTestRule.ID, "RESTORE_TEST", DAY, "{\"sourceCheckId\": \"" + source.replace("\"", "") + "\"}"));
                }
                case UpsRule.ID -> checks.add(check(UpsRule.ID, "UPS", FIVE_MINUTES, "{}"));
                default -> throw new IllegalStateException("no checks for layer " + layer);
            }
        }
        return checks;
    }

    private static CheckInput check(String id, String kind, long interval, String settings) {
        try {
            return new CheckInput(id, kind, interval, new com.fasterxml.jackson.databind.ObjectMapper().readTree(settings));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
