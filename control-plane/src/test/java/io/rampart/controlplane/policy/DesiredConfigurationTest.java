package io.rampart.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

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
