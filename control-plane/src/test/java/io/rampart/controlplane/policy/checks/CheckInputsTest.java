package io.rampart.controlplane.policy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.policy.checks.CheckInputs.ValidCheck;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;

class CheckInputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsACheckAndStoresItsSettingsAsTheKindsMessage() {
        ValidCheck check = CheckInputs.validate(input("nas-copy", "backup_folder", 900L,
                "{\"maxAge\": \"93600s\", \"min_size_bytes\": 1024, \"readBack\": true}"), null, Map.of());

        assertThat(check.kind()).isEqualTo("BACKUP_FOLDER");
        assertThat(check.intervalSeconds()).isEqualTo(900);
        assertThat(check.settings()).isEqualTo("{\"maxAge\":\"93600s\",\"minSizeBytes\":\"1024\",\"readBack\":true}");
    }

    @Test
    void refusesAnUnknownSettingNamingItAndTheKindsSettings() {
        assertThat(errors(input("ups", "UPS", 300L, "{\"maxAge\": \"93600s\"}"), Map.of()))
                .containsExactly(new FieldError("settings.maxAge",
                        "is not a setting of UPS checks; they have minRuntime, maxSelfTestAge, selfTestGrace"));
    }

    @Test
    void refusesAValueOfTheWrongTypeOrOutOfRangeNamingTheSetting() {
        assertThat(errors(input("nas-copy", "BACKUP_FOLDER", 900L,
                "{\"maxAge\": \"26 hours\", \"minSizeBytes\": -5, \"readBack\": \"yes\"}"), Map.of()))
                .extracting(FieldError::field, FieldError::message)
                .containsExactly(
                        tuple("settings.maxAge", "a duration in seconds with an 's', e.g. \"93600s\" for 26 hours"),
                        tuple("settings.minSizeBytes", "must be 0 or more"),
                        tuple("settings.readBack", "true or false"));
        assertThat(errors(input("cloud-copy", "RESTIC_REPOSITORY", 3600L, "{\"readDataPercent\": 150, \"maxAge\": \"0s\"}"), Map.of()))
                .extracting(FieldError::field).containsExactly("settings.readDataPercent", "settings.maxAge");
    }

    @Test
    void acceptsAReadBackBudgetInMegabytesPerSecondAndHoursADayAndRefusesOneOutOfRangeNamingIt() {
        ValidCheck check = CheckInputs.validate(input("archive-retention", "BACKUP_FOLDER", 3600L,
                "{\"readBack\": true, \"readBackMbPerSecond\": 30, \"readBackHoursPerDay\": 4.5}"), null, Map.of());
        assertThat(check.settings()).isEqualTo("{\"readBack\":true,\"readBackMbPerSecond\":30.0,\"readBackHoursPerDay\":4.5}");

        assertThat(errors(input("archive-retention", "BACKUP_FOLDER", 3600L,
                "{\"readBackMbPerSecond\": -1, \"readBackHoursPerDay\": 25}"), Map.of()))
                .extracting(FieldError::field, FieldError::message)
                .containsExactly(
                        tuple("settings.readBackMbPerSecond", "megabytes per second the agent may read, from 0 (the agent's default, 50 MB/s) to 10000"),
                        tuple("settings.readBackHoursPerDay", "hours a day the agent may spend reading back, from 0 (the agent's default, 2 hours) to 24"));
    }

    @Test
    void refusesCheckIdsAgentsAndRulesCannotUse() {
        assertThat(errors(input("Cloud Copy", "UPS", 300L, "{}"), Map.of()))
                .containsExactly(new FieldError("checkId",
                        "\"Cloud Copy\" may hold only lower-case letters, digits and single '-' between them, e.g. cloud-copy"));
        assertThat(errors(input("a".repeat(101), "UPS", 300L, "{}"), Map.of()))
                .containsExactly(new FieldError("checkId", "at most 100 characters (this one has 101)"));
        assertThat(errors(input(null, "UPS", 300L, "{}"), Map.of())).extracting(FieldError::field).containsExactly("checkId");
    }

    @Test
    void refusesAnIntervalOutsideOneMinuteToSevenDaysAndAnUnknownKind() {
        assertThat(errors(input("ups", "UPS", 59L, "{}"), Map.of()))
                .containsExactly(new FieldError("intervalSeconds", "59 s is out of range: from 60 s (1 minute) to 604800 s (7 days)"));
        assertThat(errors(input("ups", "TAPE", 604801L, null), Map.of())).extracting(FieldError::field)
                .containsExactly("kind", "intervalSeconds");
    }

    @Test
    void aRestoreTestMustRestoreACheckOfTheSetThatCanBeRestored() {
        Map<String, String> set = Map.of("cloud-copy", "RESTIC_REPOSITORY", "ups", "UPS", "nas-copy", "BACKUP_FOLDER");

        assertThat(CheckInputs.validate(input("restore-test", "RESTORE_TEST", 86400L, "{\"sourceCheckId\": \"cloud-copy\"}"), null, set)
                .settings()).isEqualTo("{\"sourceCheckId\":\"cloud-copy\"}");
        assertThat(errors(input("restore-test", "RESTORE_TEST", 86400L, "{\"sourceCheckId\": \"ups\"}"), set))
                .containsExactly(new FieldError("settings.sourceCheckId", "\"ups\" is a UPS check, which cannot be restored; a restore test "
                        + "restores a BACKUP_FOLDER, RESTIC_REPOSITORY or BORG_REPOSITORY check: cloud-copy, nas-copy"));
        assertThat(errors(input("restore-test", "RESTORE_TEST", 86400L, "{\"sourceCheckId\": \"usb-copy\"}"), set))
                .containsExactly(new FieldError("settings.sourceCheckId", "no check \"usb-copy\" in this check set; one of cloud-copy, nas-copy"));
        assertThat(errors(input("restore-test", "RESTORE_TEST", 86400L, "{}"), Map.of()))
                .containsExactly(new FieldError("settings.sourceCheckId",
                        "required: the check whose newest backup to restore, one of (none yet: add a folder, restic or borg check first)"));
    }

    @Test
    void theAddressNamesTheCheckWhenTheBodyDoesNot() {
        assertThat(CheckInputs.validate(input(null, "UPS", 300L, "{}"), "ups", Map.of()).checkId()).isEqualTo("ups");
        assertThat(errors(new CheckInput("ups-2", "UPS", 300L, null), "ups", Map.of())).extracting(FieldError::field)
                .containsExactly("checkId");
    }

    @Test
    void everyTemplateIsValidAsIfAddedByHand() {
        for (CheckTemplates.CheckTemplate template : CheckTemplates.ALL) {
            for (CheckTemplates.CloudTool tool : CheckTemplates.CloudTool.values()) {
                List<CheckInput> checks = CheckTemplates.checks(template, tool, null);
                Map<String, String> kinds = new HashMap<>();
                checks.forEach(c -> kinds.put(c.checkId(), c.kind()));
                checks.forEach(c -> CheckInputs.validate(c, null, kinds));
                assertThat(kinds.keySet()).as(template.id()).containsAll(template.layers());
            }
        }
        List<CheckInput> reference = CheckTemplates.checks(CheckTemplates.byId("reference").orElseThrow(), CheckTemplates.CloudTool.BORG, null);
        assertThat(reference).extracting(CheckInput::checkId).containsExactly("db-sync", "cloud-copy", "nas-copy", "usb-copy", "usb-rotation",
                "system-image", "archive-retention", "restore-test", "ups");
        assertThat(reference).filteredOn(c -> c.checkId().equals("cloud-copy")).extracting(CheckInput::kind).containsExactly("BORG_REPOSITORY");
    }

    private static List<FieldError> errors(CheckInput input, Map<String, String> others) {
        return errors(input, null, others);
    }

    private static List<FieldError> errors(CheckInput input, String path, Map<String, String> others) {
        try {
            CheckInputs.validate(input, path, others);
        } catch (InvalidInput invalid) {
            return invalid.errors();
        }
        throw new AssertionError("accepted " + input);
    }

    private static CheckInput input(String id, String kind, Long interval, String settings) {
        try {
            JsonNode node = settings == null ? null : JSON.readTree(settings);
            return new CheckInput(id, kind, interval, node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
