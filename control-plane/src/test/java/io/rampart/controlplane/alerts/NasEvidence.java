package io.rampart.controlplane.alerts;

import java.time.Instant;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestObservation;

/** The check results the alert email tests report for a practice whose backups go to a NAS, as its agent would. */
final class NasEvidence {

    /** What the agent says when the NAS does not answer. */
    static final String NAS_DOWN = "the NAS nas.harbour.lan does not answer on port 445";

    private NasEvidence() {
    }

    /** The check could not run: the NAS does not answer. */
    static CheckResult unreachable(String checkId, CheckKind kind) {
        return CheckResult.newBuilder().setCheckId(checkId).setKind(kind).setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(NAS_DOWN).build();
    }

    /** The NAS copy passes, its newest backup (2048 bytes) written at {@code newest}. */
    static CheckResult freshNasCopy(Instant newest) {
        return CheckResult.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER).setStatus(CheckStatus.CHECK_STATUS_PASS)
                .setSummary("newest backup ok").setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/nas").setNewestFile("clinical.bak")
                        .setNewestModifiedAt(ProtoTime.timestamp(newest)).setNewestSizeBytes(2048).setFileCount(1))
                .build();
    }

    /** A restore test of the NAS copy that restored and verified 120 files. */
    static CheckResult restorePassed() {
        return CheckResult.newBuilder().setCheckId("restore-test").setKind(CheckKind.CHECK_KIND_RESTORE_TEST).setStatus(CheckStatus.CHECK_STATUS_PASS)
                .setSummary("restored and verified").setRestoreTest(RestoreTestObservation.newBuilder().setSourceCheckId("nas-copy")
                        .setFilesVerified(120).setBytesVerified(5_000_000).setVerification("SHA-256 of every file")
                        .setRestoreDuration(com.google.protobuf.Duration.newBuilder().setSeconds(180)))
                .build();
    }
}
