package io.rampart.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckKind;

class DesiredConfigurationTest {

    @Test
    void turnsStoredSettingsIntoTheSettingsMessageOfTheCheckKind() {
        var folder = DesiredConfiguration.toProto(definition("nas-copy", "BACKUP_FOLDER",
                "{\"maxAge\": \"93600s\", \"minSizeBytes\": \"1024\", \"readBack\": true}"));
        assertThat(folder.getKind()).isEqualTo(CheckKind.CHECK_KIND_BACKUP_FOLDER);
        assertThat(folder.getBackupFolder().getMaxAge().getSeconds()).isEqualTo(93600);
        assertThat(folder.getBackupFolder().getMinSizeBytes()).isEqualTo(1024);
        assertThat(folder.getBackupFolder().getReadBack()).isTrue();
        assertThat(folder.getInterval().getSeconds()).isEqualTo(900);

        var ups = DesiredConfiguration.toProto(definition("ups", "UPS", "{\"minRuntime\": \"600s\"}"));
        assertThat(ups.getUps().getMinRuntime().getSeconds()).isEqualTo(600);

        var restic = DesiredConfiguration.toProto(definition("cloud-copy", "RESTIC_REPOSITORY", "{\"readDataPercent\": 5}"));
        assertThat(restic.getRepository().getReadDataPercent()).isEqualTo(5.0);
    }

    @Test
    void givesEveryKindItsSettingsEvenWhenNoneAreStored() {
        for (CheckKind kind : CheckKind.values()) {
            if (kind == CheckKind.CHECK_KIND_UNSPECIFIED || kind == CheckKind.UNRECOGNIZED) {
                continue;
            }
            var check = DesiredConfiguration.toProto(definition("c", kind.name().replace("CHECK_KIND_", ""), "{}"));
            assertThat(check.getSettingsCase().getNumber()).as(kind.name()).isGreaterThan(0);
        }
    }

    @Test
    void refusesSettingsThatDoNotFitTheKindNamingTheCheck() {
        assertThatThrownBy(() -> DesiredConfiguration.toProto(definition("ups", "UPS", "{\"maxAge\": \"1s\"}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Check ups").hasMessageContaining("do not fit its kind UPS");
    }

    @Test
    void aPracticesOwnChecksReplaceRemoveOrAddToItsGroupsAndThePolicyStillSetsTheirThresholds() {
        UUID group = UUID.randomUUID();
        UUID practice = UUID.randomUUID();
        List<CheckDefinition> groupSet = List.of(definition("cloud-copy", "RESTIC_REPOSITORY", "{\"readDataPercent\": 5}"),
                definition("nas-copy", "BACKUP_FOLDER", "{}"), definition("ups", "UPS", "{}"));
        List<PracticeCheck> own = List.of(
                own(practice, "cloud-copy", "BORG_REPOSITORY", "{\"minSnapshots\": 3}"),
                removed(practice, "ups"),
                own(practice, "nas-copy-scans", "BACKUP_FOLDER", "{\"readBack\": true}"));

        List<ConfiguredChecks.Configured> merged = ConfiguredChecks.merge(group, groupSet, own);
        AgentConfiguration configuration = DesiredConfiguration.configuration(
                merged.stream().map(ConfiguredChecks.Configured::definition).toList(), PolicyDocument.reference(), 500);

        assertThat(merged).extracting(c -> c.definition().checkId, ConfiguredChecks.Configured::origin).containsExactly(
                tuple("cloud-copy", ConfiguredChecks.Origin.PRACTICE_OVERRIDE), tuple("nas-copy", ConfiguredChecks.Origin.GROUP),
                tuple("nas-copy-scans", ConfiguredChecks.Origin.PRACTICE));
        assertThat(configuration.getChecksList()).extracting(c -> c.getCheckId()).containsExactly("cloud-copy", "nas-copy", "nas-copy-scans");
        var cloud = configuration.getChecks(0);
        // the practice's borg replaces the group's restic whole: no restic read-data share carried over
        assertThat(cloud.getKind()).isEqualTo(CheckKind.CHECK_KIND_BORG_REPOSITORY);
        assertThat(cloud.getRepository().getMinSnapshots()).isEqualTo(3);
        assertThat(cloud.getRepository().getReadDataPercent()).isZero();
        // and the group's policy still gives it the cloud-copy rule's 26 h
        assertThat(cloud.getRepository().getMaxAge().getSeconds()).isEqualTo(26 * 3600);
        assertThat(configuration.getChecks(2).getBackupFolder().getMaxAge().getSeconds()).isEqualTo(26 * 3600);
    }

    @Test
    void theConfigurationsVersionChangesWhenAPracticeOverridesACheck() {
        UUID group = UUID.randomUUID();
        List<CheckDefinition> groupSet = List.of(definition("cloud-copy", "RESTIC_REPOSITORY", "{}"));
        long before = DesiredConfiguration.configuration(ConfiguredChecks.merge(group, groupSet, List.of()).stream()
                .map(ConfiguredChecks.Configured::definition).toList(), PolicyDocument.reference(), 500).getVersion();
        long after = DesiredConfiguration.configuration(ConfiguredChecks.merge(group, groupSet,
                List.of(own(UUID.randomUUID(), "cloud-copy", "BORG_REPOSITORY", "{}"))).stream()
                .map(ConfiguredChecks.Configured::definition).toList(), PolicyDocument.reference(), 500).getVersion();
        assertThat(after).isNotEqualTo(before);
    }

    private static PracticeCheck own(UUID practice, String checkId, String kind, String settings) {
        PracticeCheck check = new PracticeCheck();
        check.practiceId = practice;
        check.checkId = checkId;
        check.kind = kind;
        check.intervalSeconds = 600L;
        check.settings = settings;
        return check;
    }

    private static PracticeCheck removed(UUID practice, String checkId) {
        PracticeCheck check = new PracticeCheck();
        check.practiceId = practice;
        check.checkId = checkId;
        check.removed = true;
        return check;
    }

    private static CheckDefinition definition(String checkId, String kind, String settings) {
        CheckDefinition definition = new CheckDefinition();
        definition.groupId = UUID.randomUUID();
        definition.checkId = checkId;
        definition.kind = kind;
        definition.intervalSeconds = 900;
        definition.settings = settings;
        return definition;
    }
}
