package io.rampart.controlplane.policy.checks;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** One check as a person sends it; {@link CheckInputs#validate} says what is wrong with it, field by field. */
@Schema(description = "One check an agent runs")
public record CheckInput(
        @Schema(description = "Lower-case letters, digits and '-', at most 100 characters; an id that is a rule's id or starts with it "
                + "and '-' (\"db-sync-clinical\") gives evidence for that rule (\"usb-copy\" for usb-rotation)",
                examples = "cloud-copy") String checkId,
        @Schema(description = "BACKUP_FOLDER, RESTIC_REPOSITORY, BORG_REPOSITORY, DATABASE_SYNC, UPS, USB_ROTATION, REPORTED_JOB or RESTORE_TEST") String kind,
        @Schema(description = "How often the agent runs the check, in seconds: 60 (1 minute) to 604800 (7 days)") Long intervalSeconds,
        @Schema(description = "The kind's settings as protobuf JSON (durations as \"93600s\"), e.g. {\"minSizeBytes\": \"1024\", "
                + "\"readBack\": true}; a restore test names its source: {\"sourceCheckId\": \"cloud-copy\"}") JsonNode settings) {
}
