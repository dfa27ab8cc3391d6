package io.rampart.controlplane.policy.document;

import static io.rampart.controlplane.policy.document.PolicyJson.errorsOf;
import static io.rampart.controlplane.policy.document.PolicyJson.reference;
import static io.rampart.controlplane.policy.document.PolicyJson.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.groups.Tuple.tuple;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;

import io.rampart.controlplane.policy.rules.CheckEvidence;
import io.rampart.controlplane.policy.rules.Contacts;
import io.rampart.controlplane.policy.rules.PracticeEvidence;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.policy.rules.RuleVerdict;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.MediaSeen;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.RestoreTestObservation;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsStatus;
import io.rampart.protocol.agent.v1.UsbRotationObservation;

/** Every value of a policy document has a range, refused under its field; nothing a valid document holds breaks evaluation. */
class PolicyRangesTest {

    @Test
    void refusesThresholdsBeyondTheirFieldsLongest() {
        ObjectNode json = reference();
        rule(json, "ups").put("shutdownTime", "PT25H");
        rule(json, "restore-test").put("maxRestoreTime", "P31D");
        rule(json, "agent-heartbeat").put("maxSilence", "P31D");
        rule(json, "db-sync").put("maxLag", "P31D");
        rule(json, "archive-retention").put("maxInterval", "P3651D");
        rule(json, "archive-retention").put("noDataGrace", "P3651D");
        rule(json, "plan-review").put("reviewEvery", "PT9223372036854775807S");
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                tuple("rules.ups.shutdownTime", "must be at most 24 hours (PT24H)"),
                tuple("rules.restore-test.maxRestoreTime", "must be at most 30 days (P30D)"),
                tuple("rules.agent-heartbeat.maxSilence", "must be at most 30 days (P30D)"),
                tuple("rules.db-sync.maxLag", "must be at most 30 days (P30D)"),
                tuple("rules.archive-retention.maxInterval", "must be at most 10 years (P3650D)"),
                tuple("rules.archive-retention.noDataGrace", "must be at most 10 years (P3650D)"),
                tuple("rules.plan-review.reviewEvery", "must be at most 10 years (P3650D)"));
    }

    @Test
    void acceptsThresholdsAtTheirFieldsLongest() {
        ObjectNode json = reference();
        rule(json, "ups").put("shutdownTime", "PT24H");
        rule(json, "restore-test").put("maxRestoreTime", "P30D");
        rule(json, "agent-heartbeat").put("maxSilence", "P30D");
        rule(json, "db-sync").put("maxLag", "P30D");
        rule(json, "archive-retention").put("maxInterval", "P3650D").put("retention", "P100Y");
        assertThat(PolicyReader.read(json, "")).isNotNull();
    }

    @Test
    void refusesDurationsAndPeriodsTooLargeToParseOrCount() {
        ObjectNode json = reference();
        rule(json, "nas-copy").put("maxAge", "PT9999999999999999999H");
        rule(json, "archive-retention").put("retention", "P2147483647Y");
        rule(json, "cloud-copy").put("maxAge", "P-1D");
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                tuple("rules.nas-copy.maxAge", "not an ISO-8601 duration: \"PT9999999999999999999H\" (write it like PT26H or P7D)"),
                tuple("rules.archive-retention.retention", "must be at most 100 years (P100Y)"),
                tuple("rules.cloud-copy.maxAge", "must not be negative"));
    }

    @Test
    void refusesCountsAboveTheirMostAndBelowTheirLeast() {
        ObjectNode json = reference();
        rule(json, "usb-rotation").put("minDrives", 53);
        rule(json, "contacts").put("minItContacts", 51).put("minPracticeManagers", 2_000_000_000);
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                tuple("rules.usb-rotation.minDrives", "must be at most 52"),
                tuple("rules.contacts.minItContacts", "must be at most 50"),
                tuple("rules.contacts.minPracticeManagers", "must be at most 50"));

        ObjectNode low = reference();
        rule(low, "usb-rotation").put("minDrives", 0);
        rule(low, "contacts").put("minItContacts", 3_000_000_000L);
        assertThat(errorsOf(low)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                tuple("rules.usb-rotation.minDrives", "at least 2 drives must be in rotation (one attached, one kept offsite)"),
                tuple("rules.contacts.minItContacts", "required: a whole number"));
    }

    @Test
    void everyCountOfEveryRuleHasARange() {
        for (RuleKind<?> kind : RuleKinds.ALL) {
            for (RecordComponent field : ThresholdFields.of(kind.thresholdsType())) {
                if (field.getType() == int.class) {
                    assertThat(ThresholdRanges.COUNTS).as(kind.id() + "." + field.getName()).containsKey(field.getName());
                }
            }
        }
    }

    /** Every rule at the shortest and at the longest thresholds a document may hold, against evidence at protobuf's extremes. */
    @Test
    void noValidDocumentMakesARuleThrowWhateverTheEvidence() {
        for (String extreme : List.of("shortest", "longest")) {
            ObjectNode json = reference();
            json.get("rules").fields().forEachRemaining(entry -> {
                ObjectNode rule = (ObjectNode) entry.getValue();
                List.copyOf(iterable(rule.fieldNames())).forEach(name -> {
                    JsonNode value = rule.get(name);
                    if (value.isTextual() && !name.equals("retention")) {
                        rule.put(name, extreme.equals("shortest") ? (ThresholdFields.isGrace(name) ? "PT0S" : "PT1M")
                                : ThresholdRanges.LONGEST_BY_FIELD.containsKey(name)
                                        ? ThresholdRanges.LONGEST_BY_FIELD.get(name).value().toString()
                                : "P3650D");
                    }
                });
                if (extreme.equals("longest")) {
                    // a grace may be as long as its limit, never longer
                    for (RuleKind.Guard guard : RuleKinds.byId(entry.getKey()).orElseThrow().guards()) {
                        rule.put(guard.grace(), rule.get(guard.limit()).textValue());
                    }
                    if (rule.has("retention")) {
                        rule.put("retention", "P100Y");
                    }
                }
            });
            PolicyDocument document = PolicyReader.read(json, "");
            for (Timestamp at : List.of(ProtoTime.timestamp(Instant.parse("0001-01-01T00:00:00Z")),
                    ProtoTime.timestamp(Instant.parse("9999-12-31T23:59:59.999999999Z")), ProtoTime.timestamp(NOW))) {
                PracticeEvidence evidence = evidenceAt(at);
                for (Rule rule : document.rulesToEvaluate()) {
                    assertThatCode(() -> {
                        RuleVerdict verdict = rule.evaluate(evidence, NOW);
                        assertThat(verdict.status()).isNotNull();
                        assertThat(verdict.reason()).isNotBlank();
                    }).as(extreme + " " + rule.id() + " at " + at).doesNotThrowAnyException();
                }
            }
        }
    }

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static PracticeEvidence evidenceAt(Timestamp at) {
        Instant observed = NOW.minus(Duration.ofMinutes(5));
        com.google.protobuf.Duration longest = com.google.protobuf.Duration.newBuilder().setSeconds(315_576_000_000L).build();
        BackupFolderObservation folder = BackupFolderObservation.newBuilder().setPath("/mnt").setFileCount(Long.MAX_VALUE)
                .setNewestFile("n").setNewestModifiedAt(at).setOldestFile("o").setOldestModifiedAt(at)
                .setNewestSizeBytes(Long.MAX_VALUE).setPreviousSizeBytes(Long.MAX_VALUE).build();
        RepositoryObservation repository = RepositoryObservation.newBuilder().setSnapshotCount(Long.MAX_VALUE).setLatestSnapshotAt(at)
                .setOldestSnapshotAt(at).setPreviousSnapshotAt(at).setLatestSizeBytes(Long.MAX_VALUE).setPreviousSizeBytes(1)
                .setLatestFileCount(Long.MAX_VALUE).setPreviousFileCount(1).setMinSizeRatio(0.5).setCheckPassed(true).setLastCheckAt(at).build();
        PracticeEvidence evidence = PracticeEvidence.onboarded("p", Instant.parse("2000-01-01T00:00:00Z")).withHeartbeat(NOW)
                .withContacts(new Contacts(1, 1)).withAgentClockOffset(Duration.ofSeconds(315_576_000_000L));
        evidence = evidence.withCheck(check("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY, observed,
                CheckResult.newBuilder().setRepository(repository)));
        evidence = evidence.withCheck(check("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, observed, CheckResult.newBuilder().setBackupFolder(folder)));
        evidence = evidence.withCheck(check("system-image", CheckKind.CHECK_KIND_REPORTED_JOB, observed,
                CheckResult.newBuilder().setJobReport(io.rampart.protocol.agent.v1.JobReport.newBuilder().setFinishedAt(at))));
        evidence = evidence.withCheck(check("archive-retention", CheckKind.CHECK_KIND_BACKUP_FOLDER, observed,
                CheckResult.newBuilder().setBackupFolder(folder.toBuilder().setOldestModifiedAt(ProtoTime.timestamp(Instant.parse("0001-01-01T00:00:00Z"))))));
        evidence = evidence.withCheck(check("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC, observed, CheckResult.newBuilder()
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setLag(longest).setVerifiedAt(at).setSecondaryReachable(true)
                        .setLagAgainstPrimary(true).setLastMessageAge(longest).setBytesBehind(Long.MAX_VALUE))));
        evidence = evidence.withCheck(check("usb-rotation", CheckKind.CHECK_KIND_USB_ROTATION, observed, CheckResult.newBuilder()
                .setUsbRotation(UsbRotationObservation.newBuilder().setAttachedMediaId("a").setAttachedSince(at)
                        .addMedia(MediaSeen.newBuilder().setMediaId("a").setFirstSeenAt(at).setLastSeenAt(at))
                        .addMedia(MediaSeen.newBuilder().setMediaId("b").setFirstSeenAt(at).setLastSeenAt(at)))));
        evidence = evidence.withCheck(check("usb-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, observed, CheckResult.newBuilder().setBackupFolder(folder)));
        evidence = evidence.withCheck(check("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST, observed, CheckResult.newBuilder()
                .setRestoreTest(RestoreTestObservation.newBuilder().setRestoreDuration(longest).setBytesVerified(Long.MAX_VALUE))));
        evidence = evidence.withCheck(check("ups", CheckKind.CHECK_KIND_UPS, observed, CheckResult.newBuilder()
                .setUps(UpsObservation.newBuilder().setStatus(UpsStatus.UPS_STATUS_ONLINE).setRuntime(longest).setChargePercent(100)
                        .setSelfTestAt(at).setRuntimeReported(true).setChargeReported(true))));
        return evidence;
    }

    private static CheckEvidence check(String id, CheckKind kind, Instant observed, CheckResult.Builder result) {
        return new CheckEvidence(id, result.setCheckId(id).setKind(kind).setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("ok").build(), observed);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> all = new java.util.ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }
}
