package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.JobReport;
import io.rampart.protocol.agent.v1.ReadBack;

class BoundedResultTest {

    private static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");

    @TempDir
    Path folder;

    @TempDir
    Path home;

    @Test
    void aReadBackOfAFolderWithThousandsOfFilesMissingFromTheManifestStillMakesAnEventThatCanBeDelivered() throws IOException {
        byte[] content = { 1, 2, 3 };
        String digest = HexFormat.of().formatHex(sha256(content));
        Files.writeString(folder.resolve("SHA256SUMS"), digest + "  listed.bak\n");
        Files.write(folder.resolve("listed.bak"), content);
        // a share where a new backup job writes files the manifest never heard of, with long names (a real NAS folder)
        for (int i = 0; i < 6000; i++) {
            Path file = folder.resolve(String.format("server01-clinical-database-incremental-backup-%05d-of-a-very-long-job.bak", i));
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(1))));
        }
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setBackupFolder(BackupFolderSettings.newBuilder().setReadBack(true)).build();
        CheckResult raw =
                new BackupFolderCollector(AgentHome.at(home), LocalChecks.of(Map.of("nas-copy", folder)), Clock.fixed(NOW, ZoneOffset.UTC)).run(check);
        assertThat(raw.getSerializedSize()).as("the kind of result this is about").isGreaterThan(EventLimits.MAX_EVENT_BYTES);

        CheckResult bounded = BoundedResult.of(raw);

        assertThat(event(bounded).getSerializedSize()).isLessThanOrEqualTo(EventLimits.MAX_EVENT_BYTES);
        ReadBack readBack = bounded.getBackupFolder().getReadBack();
        assertThat(readBack.getFilesVerified()).isEqualTo(raw.getBackupFolder().getReadBack().getFilesVerified());
        assertThat(bounded.getBackupFolder().getFileCount()).isEqualTo(6001);
        assertThat(readBack.getUnlistedFilesList()).last().asString().matches("… and \\d+ more");
        int listed = readBack.getUnlistedFilesCount() - 1;
        assertThat(bounded.getSummary()).startsWith(raw.getSummary())
                .endsWith("; too much to report at once, so the agent listed only the first " + listed
                        + " of 6000 backup_folder.read_back.unlisted_files");
        assertThat(bounded.getStatus()).isEqualTo(raw.getStatus());
    }

    @Test
    void aWholeLogPassedAsTheReportMessageIsCutWithTheNumberOfCharactersLeftOut() {
        String log = "line of the imaging software's log\n".repeat(20_000);
        CheckResult raw = CheckResult.newBuilder().setCheckId("system-image").setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
                .setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("Macrium reported failed")
                .setJobReport(JobReport.newBuilder().setSoftware("Macrium Reflect").setMessage(log)).build();

        CheckResult bounded = BoundedResult.of(raw);

        assertThat(event(bounded).getSerializedSize()).isLessThanOrEqualTo(EventLimits.MAX_EVENT_BYTES);
        String message = bounded.getJobReport().getMessage();
        assertThat(message).startsWith("line of the imaging software's log\n").hasSizeLessThanOrEqualTo(EventLimits.MAX_TEXT_CHARS)
                .endsWith("… (" + (log.length() - message.indexOf("… (")) + " more characters)");
        assertThat(bounded.getSummary()).isEqualTo("Macrium reported failed");
    }

    @Test
    void everyTextIsCutToWhatTheControlPlaneTakesInItsFieldEvenWhenTheEventIsSmall() {
        String fiveKbLog = "x".repeat(5 * 1024);
        String longSummary = "Macrium reported failed: " + "y".repeat(6000);
        CheckResult raw = CheckResult.newBuilder().setCheckId("system-image").setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
                .setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(longSummary)
                .setJobReport(JobReport.newBuilder().setSoftware("Macrium Reflect").setMessage(fiveKbLog + fiveKbLog)).build();

        CheckResult bounded = BoundedResult.of(raw);

        assertThat(bounded.getSummary()).startsWith("Macrium reported failed: yyy").hasSizeLessThanOrEqualTo(EventLimits.MAX_SUMMARY_CHARS)
                .endsWith(" more characters)");
        assertThat(bounded.getJobReport().getMessage()).hasSizeLessThanOrEqualTo(EventLimits.MAX_TEXT_CHARS).startsWith(fiveKbLog);
        assertThat(BoundedResult.text(fiveKbLog, EventLimits.MAX_TEXT_CHARS)).isSameAs(fiveKbLog);
    }

    @Test
    void aLongListOfMessagesKeepsItsFirstItemsWholeWithTheirTextsCutAndSaysHowManyWereLeftOut() {
        CheckResult.Builder raw = CheckResult.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("backups dated in the future")
                .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3));
        for (int i = 0; i < 5000; i++) {
            raw.addFutureDated(FutureDatedItem.newBuilder().setName("clinical-" + i + "-" + "z".repeat(9000))
                    .setDatedAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() + 86_400 + i)));
        }

        CheckResult bounded = BoundedResult.of(raw.build());

        assertThat(event(bounded).getSerializedSize()).isLessThanOrEqualTo(EventLimits.MAX_EVENT_BYTES);
        int kept = bounded.getFutureDatedCount();
        assertThat(kept).isBetween(1, 999);
        assertThat(bounded.getFutureDated(kept - 1).getName()).startsWith("clinical-" + (kept - 1) + "-zzz").endsWith(" more characters)");
        assertThat(bounded.getFutureDated(kept - 1).getDatedAt().getSeconds()).isEqualTo(NOW.getEpochSecond() + 86_400 + kept - 1);
        assertThat(bounded.getSummary()).isEqualTo("backups dated in the future; too much to report at once, so the agent listed only the first "
                + kept + " of 5000 future_dated");
        assertThat(bounded.getDuration().getSeconds()).isEqualTo(3);
        assertThat(bounded.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
    }

    @Test
    void aResultWithinTheLimitIsLeftAsItIs() {
        CheckResult small = CheckResult.newBuilder().setCheckId("nas-copy").setSummary("newest backup 2 h old").build();

        assertThat(BoundedResult.of(small)).isSameAs(small);
    }

    private static AgentEvent event(CheckResult result) {
        return AgentEvent.newBuilder().setEventId("0b6f0d1e-3c8e-4a8e-9f5e-2d1f7a6b9c01").setPracticeId("practice-7")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond())).setCheckResult(result).build();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
