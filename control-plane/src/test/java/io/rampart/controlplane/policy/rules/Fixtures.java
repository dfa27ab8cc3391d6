package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;

import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/** A fixed clock and small builders of evidence. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Instant LONG_AGO = NOW.minus(Duration.ofDays(400));

    private Fixtures() {
    }

    static Instant ago(Duration duration) {
        return NOW.minus(duration);
    }

    static Instant hoursAgo(long hours) {
        return ago(Duration.ofHours(hours));
    }

    static Instant daysAgo(long days) {
        return ago(Duration.ofDays(days));
    }

    /** A practice onboarded long ago (every no-data grace has passed). */
    static PracticeEvidence practice() {
        return PracticeEvidence.onboarded("practice-1", LONG_AGO);
    }

    static PracticeEvidence onboarded(Instant at) {
        return PracticeEvidence.onboarded("practice-1", at);
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static com.google.protobuf.Duration pd(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    static CheckResult.Builder result(String checkId, CheckKind kind, CheckStatus status) {
        return CheckResult.newBuilder().setCheckId(checkId).setKind(kind).setStatus(status).setSummary("summary of " + checkId);
    }

    static CheckEvidence evidence(CheckResult.Builder result) {
        return new CheckEvidence(result.build(), NOW.minus(Duration.ofMinutes(5)));
    }

    static CheckEvidence evidence(CheckResult.Builder result, Instant observedAt) {
        return new CheckEvidence(result.build(), observedAt);
    }

    /** A folder of backup files whose newest file was modified at the given time. */
    static CheckEvidence folder(String checkId, Instant newest) {
        return evidence(result(checkId, CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_PASS)
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/backups").setFileCount(10)
                        .setNewestFile("backup.tar.gz").setNewestModifiedAt(ts(newest))));
    }

    static PolicyException exception(String ruleId, Instant until) {
        return new PolicyException(ruleId, "UPS being replaced", "Dana Provider", until);
    }
}
