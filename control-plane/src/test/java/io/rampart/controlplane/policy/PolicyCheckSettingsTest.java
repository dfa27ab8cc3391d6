package io.rampart.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Duration;

import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.RuleSetting;
import io.rampart.controlplane.policy.rules.Thresholds;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;
import io.rampart.protocol.agent.v1.RepositorySettings;
import io.rampart.protocol.agent.v1.UsbRotationSettings;

class PolicyCheckSettingsTest {

    private static final PolicyDocument REFERENCE = PolicyDocument.reference();

    @Test
    void aCopyCheckTakesItsRulesAgeLimitWhateverTheGroupStoredAndKeepsItsOtherSettings() {
        CheckDefinition nas = folder("nas-copy", 3600).toBuilder()
                .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(seconds(3600)).setReadBack(true).setMinSizeBytes(1024)).build();

        CheckDefinition applied = PolicyCheckSettings.apply(nas, REFERENCE).orElseThrow();

        assertThat(applied.getBackupFolder().getMaxAge()).isEqualTo(seconds(26 * 3600));
        assertThat(applied.getBackupFolder().getReadBack()).isTrue();
        assertThat(applied.getBackupFolder().getMinSizeBytes()).isEqualTo(1024);
    }

    @Test
    void theUsbDriveChecksTakeTheRotationRulesCopyAgeDriveCountAndRotationPeriod() {
        CheckDefinition rotation = CheckDefinition.newBuilder().setCheckId("usb-rotation").setKind(CheckKind.CHECK_KIND_USB_ROTATION)
                .setUsbRotation(UsbRotationSettings.getDefaultInstance()).build();

        assertThat(PolicyCheckSettings.apply(rotation, REFERENCE).orElseThrow().getUsbRotation())
                .isEqualTo(UsbRotationSettings.newBuilder().setMaxAttached(seconds(7 * 24 * 3600)).setMinDrives(2).build());
        assertThat(PolicyCheckSettings.apply(folder("usb-copy", 60), REFERENCE).orElseThrow().getBackupFolder().getMaxAge())
                .isEqualTo(seconds(26 * 3600));
    }

    @Test
    void aCheckNamedAfterItsRuleWithASuffixIsThatRulesEvidence() {
        CheckDefinition sync = CheckDefinition.newBuilder().setCheckId("db-sync-clinical").setKind(CheckKind.CHECK_KIND_DATABASE_SYNC)
                .setDatabaseSync(DatabaseSyncSettings.getDefaultInstance()).build();

        assertThat(PolicyCheckSettings.apply(sync, REFERENCE).orElseThrow().getDatabaseSync())
                .isEqualTo(DatabaseSyncSettings.newBuilder().setMaxLag(seconds(15 * 60)).setVerifyEvery(seconds(24 * 3600)).build());
    }

    @Test
    void aCheckWhoseRuleIsSwitchedOffIsNotRunAndACheckOfNoRuleIsLeftAsItIs() {
        Map<String, RuleSetting> rules = new LinkedHashMap<>(REFERENCE.rules());
        rules.put("cloud-copy", new RuleSetting(false, Thresholds.Freshness.DEFAULT));
        PolicyDocument withoutCloud = new PolicyDocument(rules);
        CheckDefinition custom = folder("pacs-export", 60);

        assertThat(PolicyCheckSettings.apply(folder("cloud-copy", 60), withoutCloud)).isEmpty();
        assertThat(PolicyCheckSettings.apply(custom, withoutCloud)).contains(custom);
    }

    @Test
    void aRepositoryCheckComparesEachSnapshotWithHalfThePreviousUnlessItsCheckSetSaysOtherwise() {
        CheckDefinition cloud = CheckDefinition.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder().setMinSizeBytes(1_000_000)).build();
        CheckDefinition swinging = cloud.toBuilder().setRepository(RepositorySettings.newBuilder().setMinSizeRatio(0.2)).build();
        CheckDefinition off = cloud.toBuilder().setRepository(RepositorySettings.newBuilder().setMinSizeRatio(-1)).build();

        RepositorySettings applied = PolicyCheckSettings.apply(cloud, REFERENCE).orElseThrow().getRepository();

        assertThat(applied.getMinSizeRatio()).isEqualTo(0.5);
        assertThat(applied.getMinSizeBytes()).isEqualTo(1_000_000);
        assertThat(applied.getMaxAge()).isEqualTo(seconds(26 * 3600));
        assertThat(PolicyCheckSettings.apply(swinging, REFERENCE).orElseThrow().getRepository().getMinSizeRatio()).isEqualTo(0.2);
        assertThat(PolicyCheckSettings.apply(off, REFERENCE).orElseThrow().getRepository().getMinSizeRatio()).isEqualTo(-1);
    }

    private static CheckDefinition folder(String id, long maxAgeSeconds) {
        return CheckDefinition.newBuilder().setCheckId(id).setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(seconds(maxAgeSeconds))).build();
    }

    private static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }
}
